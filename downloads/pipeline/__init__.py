"""The download pipeline: planning a task, the per-track steps, leases, and the runner that ties them."""
