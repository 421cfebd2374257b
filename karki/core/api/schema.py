"""The OpenAPI schema's part of the contract: every operation documents its refusals."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from . import ERROR_RESPONSES, ProblemSerializer


class ContractSchema(AutoSchema):
    """drf-spectacular's AutoSchema with 400, 401, 403 and 404 documented on every operation as the
    `Problem` component, unless the view documents them itself."""

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        for code, description in ERROR_RESPONSES.items():
            if code not in bodies:
                bodies[code] = self._get_response_for_code(
                    OpenApiResponse(ProblemSerializer, description=description), code,
                    media_types=["application/json"], direction=direction)
        return bodies
