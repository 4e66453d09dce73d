"""The download pipeline: planning a task (plan), the per-track steps (step, steps, audio), claims, heartbeats and the reaper, and the runner that ties them."""
