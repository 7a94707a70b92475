"""The register's fixtures (organisations, persons with valid NIKs), for the data-subject request tests."""

from sinergi.registry.tests.conftest import kinds, media_root, other_rt_org, rt_org  # noqa: F401
