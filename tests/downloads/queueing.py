"""Queue a download through the API, as a client would, and hand back its task."""

from __future__ import annotations

from downloads.models import DownloadTask


def download(client, kind: str, item_id: str, query: str = "") -> DownloadTask:
    """``GET /api/{kind}/download/{item_id}{query}``, which must be accepted (202)."""
    response = client.get(f"/api/{kind}/download/{item_id}{query}")
    assert response.status_code == 202, response.json()
    return DownloadTask.objects.get(pk=response.json()["task_id"])
