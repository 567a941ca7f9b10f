# The faults' scratch databases: workers are processes of their own, on a database of the test's.
from tests.faults.conftest import postgres_scratch_db  # noqa: F401
