"""The dumps written by the workers (jobs/): `export_dataset --queue` asks for one."""

from pathlib import Path

from jobs.registry import job

from .dataset import export

EXPORT_DATASET = "export_dataset"


@job(EXPORT_DATASET)
def export_dataset(target: str, keep: int = 3) -> str:
    """A new dump in the folder `target`. Asked twice while waiting, it is written once; a
    dump interrupted midway leaves nothing behind (dataset.py), so running it again is safe."""
    return f"written: {export(Path(target), keep=keep)}"
