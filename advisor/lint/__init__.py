"""``lossadvisor lint``: read ML configs in several dialects, check their loss and metrics
against the data and each other, and report findings in the formats CI systems read."""
