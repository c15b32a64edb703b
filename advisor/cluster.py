"""Fold a dataset's files on a Dask cluster (``--engine dask``, the ``lossadvisor[dask]`` extra).

The per-file fold (:func:`advisor.sources.fold_file`) is mapped over the cluster's workers and
the summaries are merged pairwise in a tree on the workers, in file order, so only one summary
(tens of kilobytes) crosses the network to this process. Without ``--scheduler`` a LocalCluster
of worker processes on this machine is started and closed.
"""

from __future__ import annotations

from advisor.errors import InputError
from advisor.sources import Layout, fold_file, merge_bytes
from advisor.summary import TableSummary


def fold_on_cluster(paths: list[str], layout: Layout, names: list[str], stream: bool | None,
                    scheduler: str | None, workers: int = 1) -> TableSummary:
    """The merged summary of ``paths``, folded on the cluster at ``scheduler`` (or a local
    one with ``workers`` processes)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--engine dask needs Dask's distributed scheduler", None,
                         "install it with: pip install 'lossadvisor[dask]'") from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="20s")
        else:
            cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = Client(cluster)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"cannot reach the Dask scheduler ({exc})", scheduler,
                         "check --scheduler (tcp://host:8786)") from None
    try:
        futures = client.map(fold_file, paths, layout=layout, names=names, stream=stream,
                             pure=False)
        while len(futures) > 1:  # pairwise, in order: file order is row order
            merged = [client.submit(merge_bytes, a, b, pure=False)
                      for a, b in zip(futures[::2], futures[1::2], strict=False)]
            if len(futures) % 2:
                merged.append(futures[-1])
            futures = merged
        return TableSummary.from_bytes(futures[0].result())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
