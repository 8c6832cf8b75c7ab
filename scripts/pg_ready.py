"""Exit 0 if the PostgreSQL server in the given URL accepts connections."""

import sys

import psycopg

url = sys.argv[1]
# Connect to the maintenance database: the test database may not exist yet.
base, _, _name = url.rpartition("/")
try:
    psycopg.connect(f"{base}/postgres", connect_timeout=3).close()
except psycopg.Error:
    sys.exit(1)
