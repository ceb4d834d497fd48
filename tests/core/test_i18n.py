"""core/i18n.py: pydantic's errors in Chinese, each naming its field, and the API's 422 shape."""

from __future__ import annotations

from pydantic import BaseModel, Field, ValidationError, field_validator

from yingji.core.i18n import validation_details


class Sample(BaseModel):
    name: str = Field(min_length=2)
    count: int = Field(ge=1)
    level: int = Field(lt=5)

    @field_validator("name")
    @classmethod
    def no_x(cls, v: str) -> str:
        if v == "xx":
            raise ValueError("名称不能为 xx")
        return v


def details(data) -> list[dict[str, str]]:
    try:
        Sample.model_validate(data)
    except ValidationError as exc:
        return validation_details(exc.errors())
    raise AssertionError("no error")


def test_each_error_in_chinese_with_its_field() -> None:
    assert details({"name": "a", "count": 0, "level": 9}) == [
        {"field": "name", "message": "长度不足"},
        {"field": "count", "message": "须 ≥ 1"},
        {"field": "level", "message": "须 < 5"},
    ]
    assert details({"count": "many", "level": 1}) == [
        {"field": "name", "message": "必填"},
        {"field": "count", "message": "须为整数"},
    ]
    assert details({"name": "xx", "count": 1, "level": 1}) == [{"field": "name", "message": "名称不能为 xx"}]


def test_locations_drop_body_and_keep_nesting() -> None:
    errors = [
        {"type": "missing", "loc": ("body", "area", "regions", 0), "msg": "Field required"},
        {"type": "json_invalid", "loc": ("body", 12), "msg": "JSON decode error"},
        {"type": "something_new", "loc": ("query", "page"), "msg": "odd"},
    ]
    assert validation_details(errors) == [
        {"field": "area.regions.0", "message": "必填"},
        {"field": "body", "message": "JSON 格式错误"},
        {"field": "page", "message": "odd"},
    ]


def test_api_answers_422_in_the_error_shape(api) -> None:
    r = api("duty").put("/api/v1/resources/shelters/1/occupancy", json={"occupancy": -1, "open": "maybe"})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "validation_error" and err["message"]
    assert err["details"] == [
        {"field": "occupancy", "message": "须 ≥ 0"},
        {"field": "open", "message": "须为 true 或 false"},
    ]
