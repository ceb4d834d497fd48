"""The response from a plan during an incident (filled in below)."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
