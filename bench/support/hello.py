"""The reference of the page benchmarks: a FastAPI app that answers one small JSON document, served by
uvicorn like Yingji (``python -m uvicorn bench.support.hello:app``)."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def hello() -> dict[str, str]:
    return {"hello": "world"}
