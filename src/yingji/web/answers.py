"""Which error answers an operation can give, read from its code rather than written by hand.

An answer comes from a domain error (``NotFound`` → 404, ``PermissionDenied`` → 403, ``Conflict`` → 409 …)
that the endpoint, its dependencies or any function of the platform they reach may raise. ``reachable``
parses those functions (``ast``) and follows every name that resolves to a function of ``yingji``:
``require`` raises ``PermissionDenied``, so an operation whose service calls ``require`` can answer 403;
one that only reads what any signed-in user may read cannot. The CSRF check raises 403 too, but only on
writes (reads never check it): it is reported as ``"csrf"`` so the caller decides by the method.

It over-states rather than misses: a raise on a branch this operation never takes still counts. What it
cannot follow (a method called on an object, a function picked from a table at run time) is covered by
``tests/web/test_openapi_answers.py``, which calls operations and compares what they answer.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable
from functools import cache
from typing import Any

from yingji.core.actor import load_in_scope, require
from yingji.core.errors import DomainError

CSRF = "csrf"
# ``require(actor, "risk.read")``: a 403 only if some role lacks that permission (``refuses_someone``).
PERMISSION = "permission:"
# Writes rows (``db.add``/``delete``/``flush``, or a Core ``insert``/``update``/``delete``): an integrity
# error (a duplicate, a record still referenced) can answer 409.
WRITES = "writes"
SESSION_NAMES = {"db", "session"}
SESSION_WRITES = {"add", "add_all", "delete", "merge", "flush"}


def _resolve(node: ast.expr, namespace: dict[str, Any]) -> Any:
    if isinstance(node, ast.Name):
        return namespace.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _resolve(node.value, namespace)
        return getattr(owner, node.attr, None) if owner is not None else None
    return None


def _ours(obj: Any) -> bool:
    return getattr(obj, "__module__", "").startswith("yingji.")


class _Names(ast.NodeVisitor):
    """The names and attribute chains a function's body uses, except the types its ``except`` clauses
    catch (catching ``NotFound`` is not raising it); and its calls."""

    def __init__(self) -> None:
        self.found: list[ast.expr] = []
        self.calls: list[ast.Call] = []

    def visit_Call(self, node: ast.Call) -> None:
        self.calls.append(node)
        self.generic_visit(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        for statement in node.body:
            self.visit(statement)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.found.append(node)
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        self.found.append(node)


@cache  # a function's source is read and parsed once per process, however many routes reach it
def _direct(func: Callable[..., Any]) -> tuple[frozenset[str], tuple[Callable[..., Any], ...]]:
    """The answers ``func`` raises itself, and the functions of the platform it refers to."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError):
        return frozenset(), ()
    names = _Names()
    names.visit(tree)
    namespace = func.__globals__
    codes: set[str] = set()
    callees: list[Callable[..., Any]] = []
    checked: set[int] = set()  # the ``require`` names whose permission was read from the call
    for call in names.calls:
        callee = _resolve(call.func, namespace)
        if callee is require and len(call.args) == 2:
            permission = call.args[1]
            if isinstance(permission, ast.Constant) and isinstance(permission.value, str):
                codes.add(PERMISSION + permission.value)
                checked.add(id(call.func))
        elif callee is load_in_scope:  # the one load-or-404, after its ``permission=`` if one is given
            given = {k.arg: k.value for k in call.keywords}
            permission = given.get("permission")
            if permission is None or isinstance(permission, ast.Constant) and isinstance(permission.value, str):
                codes.add("404")
                if permission is not None and permission.value is not None:
                    codes.add(PERMISSION + permission.value)
                checked.add(id(call.func))
    for node in names.found:
        if id(node) in checked:
            continue
        if (isinstance(node, ast.Attribute) and node.attr in SESSION_WRITES and isinstance(node.value, ast.Name)
                and node.value.id in SESSION_NAMES):
            codes.add(WRITES)
            continue
        target = _resolve(node, namespace)
        if any(target is w for w in _core_writes()):
            codes.add(WRITES)
        if isinstance(target, type) and issubclass(target, DomainError) and target is not DomainError:
            codes.add(str(target.status_code))
        elif inspect.isfunction(target) and _ours(target):
            callees.append(inspect.unwrap(target))
    return frozenset(codes), tuple(callees)


@cache
def _core_writes() -> tuple[Any, ...]:
    from sqlalchemy import delete, insert, update

    return (delete, insert, update)


@cache
def reachable(func: Callable[..., Any]) -> frozenset[str]:
    """Every answer ``func`` or a function of the platform it reaches can raise."""
    from yingji.web.deps import _check_csrf  # the one 403 that depends on the method

    seen: set[Callable[..., Any]] = set()
    codes: set[str] = set()
    todo = [inspect.unwrap(func)]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if current is _check_csrf:
            codes.add(CSRF)
            continue
        raised, callees = _direct(current)
        codes |= raised
        todo.extend(callees)
    return frozenset(codes)


def refuses_someone(raised: frozenset[str]) -> bool:
    """A 403 from a permission check: a direct ``PermissionDenied``, or a ``require`` of a permission that
    some role does not hold (one every role holds refuses nobody)."""
    from yingji.accounts.enums import Role
    from yingji.accounts.service import role_can

    needed = [code.removeprefix(PERMISSION) for code in raised if code.startswith(PERMISSION)]
    return "403" in raised or any(not role_can(role, p) for p in needed for role in Role)


def of_route(route: Any) -> frozenset[str]:
    """The answers of an ``APIRoute``: its endpoint and every dependency (the user, paging …)."""
    codes: set[str] = set()
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        if dependant.call is not None and inspect.isfunction(dependant.call):
            codes |= reachable(dependant.call)
        stack.extend(dependant.dependencies)
    return frozenset(codes)
