from ninja import NinjaAPI

from wegweiser.programmes.api import router as programmes_router

api = NinjaAPI(
    title="wegweiser API",
    version="1",
    description="Programme catalogue and rules-as-code eligibility check. "
    "Answers are three-valued (eligible, not_eligible, undetermined) with reasons and sources.",
    urls_namespace="api-v1",
)
api.add_router("/", programmes_router)
