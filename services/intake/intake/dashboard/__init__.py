"""The coordinators' dashboard on intake: pages, their static files, and how they are mounted."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"


def install(app: FastAPI) -> None:
    """Serve the dashboard pages under /dashboard and its css/js under /dashboard/static."""
    from intake.dashboard.views import router

    app.include_router(router)
    app.mount("/dashboard/static", StaticFiles(directory=STATIC_DIR), name="dashboard-static")
