"""Open data reuses the small hand-made data set of the evaluation tests."""

from sinergi.evaluation.tests.conftest import activity, kinds, media_root, small  # noqa: F401
