from ninja import NinjaAPI

from wegweiser.directory.api import router as directory_router
from wegweiser.programmes.api import router as programmes_router

api = NinjaAPI(
    title="wegweiser API",
    version="1",
    description="Programme catalogue and rules-as-code eligibility check. "
    "Answers are three-valued (eligible, not_eligible, undetermined) with reasons and sources. "
    "Directory of organisations, funded projects and offers with search, GeoJSON and regions.",
    urls_namespace="api-v1",
)
api.add_router("/", programmes_router)
api.add_router("/", directory_router)
