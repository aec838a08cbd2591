"""How the point's pages are rendered: the templates, their filters, and the headers every page sends."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from intake import i18n
from intake.dashboard import labels, page_headers
from intake.sessions.browser import Viewer, csrf_token

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))
i18n.install(TEMPLATES.env)
TEMPLATES.env.filters["care"] = labels.care_type
TEMPLATES.env.filters["municipality"] = labels.municipality
TEMPLATES.env.filters["detail"] = labels.detail
TEMPLATES.env.filters["number"] = labels.number
TEMPLATES.env.filters["figure"] = labels.figure
TEMPLATES.env.filters["term"] = labels.term
TEMPLATES.env.filters["reason"] = labels.reason
TEMPLATES.env.filters["target"] = labels.target_group
TEMPLATES.env.filters["status"] = labels.status
TEMPLATES.env.filters["signal"] = labels.signal_type
TEMPLATES.env.filters["end_reason"] = labels.end_reason
TEMPLATES.env.filters["criterion"] = labels.criterion
TEMPLATES.env.filters["role"] = labels.role
TEMPLATES.env.filters["outcome"] = labels.outcome
TEMPLATES.env.filters["action"] = labels.action
TEMPLATES.env.filters["years"] = labels.years
TEMPLATES.env.globals["age_of"] = labels.age
TEMPLATES.env.globals["detail_parts"] = labels.detail_parts
# A form of the pages is a few short fields; a larger body is read as an empty form.
FORM_LIMIT = 20_000


def render(request: Request, name: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """A page in the viewer's language; a signed-in viewer's forms get the session's CSRF token."""
    values["lang"] = i18n.use(request)
    viewer: Viewer | None = values.get("viewer")
    if viewer is not None and "csrf" not in values:
        values["csrf"] = csrf_token(request, viewer)
    response = TEMPLATES.TemplateResponse(request, name, values, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    i18n.remember(request, response)
    response.headers.update(page_headers(request.app.state.settings.oidc_issuer))
    return response


def message_page(
    request: Request, status_code: int, title: str, message: str, viewer: Viewer | None = None, **values: Any
) -> HTMLResponse:
    """A page that says what happened, in the viewer's language."""
    return render(request, "message.html", status_code, title=title, message=message, viewer=viewer, **values)


async def read_form(request: Request) -> dict[str, str]:
    raw = await request.body()
    if len(raw) > FORM_LIMIT:
        return {}
    parsed = parse_qs(raw.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {key: values[0] for key, values in parsed.items() if values}
