from django.db import models


class Fortune(models.Model):
    """TechEmpower's table, created and filled by `bench.http` (no migrations to run)."""

    id = models.IntegerField(primary_key=True)
    message = models.CharField(max_length=2048)

    class Meta:
        managed = False
        db_table = "bench_fortune"

    def __str__(self) -> str:
        return self.message
