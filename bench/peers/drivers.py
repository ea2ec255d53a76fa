"""PostgreSQL and Redis drivers for the peers that need them: psycopg2 and redis-py, from this
Python's packages or Debian's (apt-get install python3-psycopg2 python3-redis), appended last so
they never shadow boto3."""
import sys

try:
    import psycopg2
    import redis
except ImportError:
    sys.path.append("/usr/lib/python3/dist-packages")
    import psycopg2
    import redis

__all__ = ["psycopg2", "redis"]
