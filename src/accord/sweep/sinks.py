"""Per-draw results streamed to disk chunk by chunk: CSV or Parquet.

A sink writes into a temporary file beside the target and renames it into place only when
the sweep has finished (`commit`); a sweep that fails or is interrupted leaves no partial
file (`abort`), and an existing file is never replaced unless asked to.
"""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError, Problem
from ..io import check_output, publish, temp_beside
from .plan import Column

FORMATS = (".csv", ".parquet")


def check_target(path: str | os.PathLike[str], overwrite: bool) -> Path:
    """Check before any work that `path` can be written: known suffix, folder exists, not an
    existing file (unless `overwrite`)."""
    p = Path(path)
    if p.suffix.lower() not in FORMATS:
        raise InputError([Problem.of_parameter(
            "out", f"unknown format '{p.suffix or p.name}': use a "
                   f".csv or .parquet file (got {p})")])
    target = check_output(p, overwrite)
    if p.suffix.lower() == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise InputError([Problem.of_parameter(
                "out", "writing Parquet needs pyarrow: pip install "
                       "'accord[scale]', or write a .csv file")]) from None
    return target


class Sink:
    """Base: a temporary file beside the target, renamed into place by `commit`."""

    def __init__(self, path: Path, columns: tuple[Column, ...]) -> None:
        self.path = path
        self.columns = columns
        fd, self.tmp = temp_beside(path, str(path))
        os.close(fd)
        self.rows = 0

    def write(self, chunk: dict[str, np.ndarray]) -> None:
        raise NotImplementedError

    def _close(self) -> None:
        pass

    def commit(self) -> None:
        self._close()
        publish(self.tmp, self.path, str(self.path))

    def abort(self) -> None:
        try:
            self._close()
        finally:
            self.tmp.unlink(missing_ok=True)


class CsvSink(Sink):
    """One row per draw; booleans as true/false, missing values empty."""

    def __init__(self, path: Path, columns: tuple[Column, ...]) -> None:
        super().__init__(path, columns)
        self._fh = open(self.tmp, "w", newline="", encoding="utf-8")  # noqa: SIM115
        self._writer = csv.writer(self._fh)
        self._writer.writerow([c.name for c in columns])

    @staticmethod
    def _cell(kind: str, v: Any) -> Any:
        if kind == "bool":
            return "true" if v else "false"
        if kind in ("float", "input"):
            return "" if math.isnan(v) else repr(float(v))
        return v

    def write(self, chunk: dict[str, np.ndarray]) -> None:
        cols = [(c.kind, chunk[c.name]) for c in self.columns]
        n = len(cols[0][1])
        self._writer.writerows([self._cell(k, col[r]) for k, col in cols] for r in range(n))
        self.rows += n

    def _close(self) -> None:
        if not self._fh.closed:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()


ROW_GROUP_BYTES = 4_000_000
"""Chunks are buffered into Parquet row groups of about this many bytes: the writer keeps
every row group's metadata (some 2 kB per column) until the file is closed, so one row group
per small chunk would make memory grow with the number of draws."""


MIN_GROUP_ROWS = 1024


class ParquetSink(Sink):
    """Parquet (pyarrow), chunks buffered into row groups of about `ROW_GROUP_BYTES`; missing
    values (no Nash deal, no mediated deal) are nulls."""

    def __init__(self, path: Path, columns: tuple[Column, ...]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        super().__init__(path, columns)
        types = {"bool": pa.bool_(), "int": pa.int64(), "label": pa.string()}
        self._schema = pa.schema([(c.name, types.get(c.kind, pa.float64())) for c in columns])
        self._pa = pa
        self._writer = pq.ParquetWriter(str(self.tmp), self._schema)
        self._buffer: list[Any] = []
        self._buffered = 0
        self.group_rows = max(MIN_GROUP_ROWS,
                              min(1 << 16, ROW_GROUP_BYTES // (8 * len(columns))))

    def _array(self, c: Column, values: np.ndarray) -> Any:
        kind = self._schema.field(c.name).type
        if c.kind == "label":
            return self._pa.array(values.tolist(), type=kind)
        if c.kind in ("float", "input"):
            return self._pa.array(values, type=kind, mask=np.isnan(values))
        return self._pa.array(values, type=kind)

    def write(self, chunk: dict[str, np.ndarray]) -> None:
        arrays = [self._array(c, chunk[c.name]) for c in self.columns]
        self._buffer.append(self._pa.Table.from_arrays(arrays, schema=self._schema))
        self._buffered += len(arrays[0])
        self.rows += len(arrays[0])
        if self._buffered >= self.group_rows:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            table = self._pa.concat_tables(self._buffer).combine_chunks()
            self._writer.write_table(table, row_group_size=max(len(table), 1))
            self._buffer, self._buffered = [], 0

    def abort(self) -> None:
        self._buffer = []
        super().abort()

    def _close(self) -> None:
        if self._writer is not None:
            try:
                self._flush()
            finally:
                self._writer.close()
                self._writer = None


def open_sink(path: Path, columns: tuple[Column, ...]) -> Sink:
    """The sink for `path`: Parquet for a .parquet suffix, else CSV (see `check_target`)."""
    return (ParquetSink if path.suffix.lower() == ".parquet" else CsvSink)(path, columns)
