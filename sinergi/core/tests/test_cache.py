"""The Redis cache backend of production (``REDIS_URL``): Django's, reusing one client per pool."""

from __future__ import annotations

import os
import uuid

import pytest
import redis

from sinergi.core.cache import RedisCache

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache() -> RedisCache:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:  # pragma: no cover - a failure, not a skip: production runs on Redis
        pytest.fail(f"no Redis at {REDIS_URL}: start one, or set TEST_REDIS_URL")
    return RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})


def test_the_redis_cache_keeps_counts_and_values_shared_across_its_operations(redis_cache: RedisCache) -> None:
    assert redis_cache.add("hits", 1, 10)
    assert not redis_cache.add("hits", 5, 10)  # a second add does not reset a running count
    assert redis_cache.incr("hits") == 2
    redis_cache.set_many({"a": {"x": 1}, "b": [1, 2]}, 10)
    assert redis_cache.get_many(["a", "b", "missing"]) == {"a": {"x": 1}, "b": [1, 2]}
    redis_cache.delete("a")
    assert redis_cache.get("a") is None


def test_the_redis_cache_builds_one_client_per_pool_not_one_per_operation(redis_cache: RedisCache) -> None:
    client = redis_cache._cache.get_client(write=True)
    redis_cache.set("k", 1, 10)
    assert redis_cache.get("k") == 1
    assert redis_cache._cache.get_client(write=True) is client
