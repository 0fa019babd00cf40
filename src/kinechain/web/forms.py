"""HTML forms checked by the same pydantic schemas as the JSON API.

A page's form posts strings; :func:`form_model` turns them into the API's ``*Create`` model (blank
fields become "not given"), so a form accepts exactly what the API accepts, with the same
bounds, and a refusal is one sentence naming the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from kinechain.errors import KinechainError
from kinechain.web.templating import redirect

M = TypeVar("M", bound=BaseModel)


class FormError(ValueError):
    """A form field breaks the schema; the message is one sentence that names it."""


def problem_sentence(exc: ValidationError) -> str:
    """Return the first validation problem as one sentence: "birth_year: ... ; correct it and send again."."""
    first = exc.errors()[0]
    where = ".".join(str(x) for x in first["loc"]) or "the form"
    msg = str(first["msg"]).rstrip(".") or "not valid"
    return f"{where.replace('_', ' ')}: {msg[0].lower() + msg[1:]}; correct it and send again."


def form_model(model: type[M], fields: Mapping[str, object]) -> M:
    """Validate posted form fields with an API schema.

    Parameters
    ----------
    model : type of BaseModel
        The API's schema for the same thing (e.g. ``AthleteCreate``).
    fields : mapping
        Field name to posted string; blank strings count as not given (the schema's default).

    Raises
    ------
    FormError
        With one sentence naming the first bad field.
    """
    given = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    data = {k: v for k, v in given.items() if k in model.model_fields and v not in ("", None)}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise FormError(problem_sentence(exc)) from exc


async def post_form(
    request: Request,
    done: str,
    save: Callable[[FormData], None],
    refused: Callable[[FormData, str], Response],
) -> Response:
    """Read a posted page form, save it and redirect to ``done`` (303).

    Parameters
    ----------
    request : Request
        The form post (its CSRF token is checked by the route's dependency).
    done : str
        Where the browser goes once the form is saved.
    save : callable
        Checks and stores the form; raises a KinechainError whose message is one sentence.
    refused : callable
        Given the form and that sentence, returns the page shown again (status 422).
    """
    form = await request.form()
    try:
        save(form)
    except KinechainError as exc:
        return refused(form, str(exc))
    return redirect(done)
