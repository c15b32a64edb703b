"""lossadvisor: recommends losses and metrics that fit a dataset's target, with the evidence."""

__version__ = "0.1.0"
