"""Schemas shared by every API router."""

from ninja import Schema


class ErrorDetail(Schema):
    loc: list[str]
    msg: str
    type: str


class ErrorOut(Schema):
    message: str
    detail: list[ErrorDetail]
