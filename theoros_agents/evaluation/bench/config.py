"""What every benchmark section is given: the stores' home, the development data, how many rounds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
"""The source tree (`make bench` runs from it): langgraph.json, aegra.json and the integration-test helpers."""


@dataclass(frozen=True)
class BenchConfig:
    """Settings of one `make bench` run."""

    home: Path
    """THEOROS_HOME holding the ingested stores (the KG and about 10.5k plot passages)."""
    data: Path
    """The development data (../shared/data): the KG file and the plot CSVs."""
    rounds: int = 7
    """Repetitions of each measured call; figures are medians over them."""
    model: str = "llamacpp:smollm2-135m"
    """The model id both sides of the token comparison use."""
    quick: bool = False
    """A shorter run while developing: fewer rounds and requests, the 100k corpus left out."""

    @property
    def work(self) -> Path:
        """Where the benchmarks keep what they build once (synthesised stores, scratch homes)."""
        return self.home / "bench"
