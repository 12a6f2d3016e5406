"""REST of ads' creators part, HokweCreatorStudio (paths start with `ads/creators/`)."""

from django.urls import path

from . import views_creators as v

urlpatterns: list = [
    # the creator
    path("ads/creators/me", v.CreatorMeView.as_view(), name="ads-creator-me"),
    path("ads/creators/jobs/open", v.OpenJobListView.as_view(), name="ads-creator-open-jobs"),
    path("ads/creators/jobs/mine", v.MyJobListView.as_view(), name="ads-creator-my-jobs"),
    path("ads/creators/jobs/<uuid:job_id>", v.CreatorJobDetailView.as_view(), name="ads-creator-job"),
    path("ads/creators/jobs/<uuid:job_id>/take", v.JobTakeView.as_view(), name="ads-creator-job-take"),
    path(
        "ads/creators/jobs/<uuid:job_id>/deliverables",
        v.DeliverableUploadView.as_view(),
        name="ads-creator-job-upload",
    ),
    path(
        "ads/creators/jobs/<uuid:job_id>/deliver", v.JobDeliverView.as_view(), name="ads-creator-job-deliver"
    ),
    # the agency
    path("ads/creators/agency/jobs", v.AgencyJobListView.as_view(), name="ads-agency-jobs"),
    path("ads/creators/agency/jobs/<uuid:job_id>", v.AgencyJobDetailView.as_view(), name="ads-agency-job"),
    path(
        "ads/creators/agency/jobs/<uuid:job_id>/changes",
        v.JobChangesView.as_view(),
        name="ads-agency-job-changes",
    ),
    path(
        "ads/creators/agency/jobs/<uuid:job_id>/accept",
        v.JobAcceptView.as_view(),
        name="ads-agency-job-accept",
    ),
    path(
        "ads/creators/agency/jobs/<uuid:job_id>/cancel",
        v.JobCancelView.as_view(),
        name="ads-agency-job-cancel",
    ),
    path(
        "ads/creators/agency/deliverables/<uuid:deliverable_id>/review",
        v.DeliverableReviewView.as_view(),
        name="ads-agency-deliverable-review",
    ),
]
