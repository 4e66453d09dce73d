"""The client's two primitives: one signed GET (app or linked-user token) and a listing followed page by
page. ``me.UserReads`` and ``client.SpotifyClient`` build on them."""

from __future__ import annotations

from typing import Any

from spotizerr.integrations.catalog_types import Page
from spotizerr.integrations.spotify.transport import Shape, SpotifyTransport, UserToken


class SpotifyReader:
    """``user`` is a linked account's token (reads made ``as_user`` are signed with it), else None."""

    def __init__(
        self, transport: SpotifyTransport, *, max_wait: float, user: UserToken | None = None
    ) -> None:
        self.transport = transport
        self.max_wait = max_wait
        self.user = user

    def _get(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        cached: bool = True,
        cache_extra: str = "",
        as_user: bool = False,
        shape: Shape | None = None,
    ) -> dict[str, Any]:
        return self.transport.get(
            path,
            params,
            max_wait=self.max_wait,
            cached=cached,
            cache_extra=cache_extra,
            user=self.user if as_user else None,
            shape=shape,
        )

    def _collect(
        self,
        path: str,
        params: dict[str, Any],
        *,
        limit: int | None,
        offset: int,
        page_size: int,
        unwrap: str | None = None,
        cache_extra: str = "",
        cached: bool = True,
        as_user: bool = False,
        shape: Shape | None = None,
    ) -> tuple[list[dict], int]:
        """Items from ``offset`` on, ``limit`` of them (None: all), in calls of at most ``page_size``.
        ``unwrap`` names the key holding the paging object (search answers ``{"tracks": {...}}``);
        ``shape`` reduces each answer before it is cached (``SpotifyTransport.get``)."""
        items: list[dict] = []
        total = offset
        while limit is None or len(items) < limit:
            want = page_size if limit is None else min(page_size, limit - len(items))
            body = self._get(
                path,
                {**params, "limit": want, "offset": offset + len(items)},
                cache_extra=cache_extra,
                cached=cached,
                as_user=as_user,
                shape=shape,
            )
            paging = body.get(unwrap) or {} if unwrap else body
            page_items = [item for item in paging.get("items") or () if item is not None]
            total = paging.get("total", 0)
            items.extend(page_items)
            if not page_items or offset + len(items) >= total or not paging.get("next"):
                break
        return items, total

    @staticmethod
    def _page(items: tuple, total: int, limit: int, offset: int) -> Page:
        end = offset + len(items)
        return Page(
            items=items, total=total, limit=limit, offset=offset, next_offset=end if end < total else None
        )
