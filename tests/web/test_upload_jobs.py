"""Uploads held between the pages: private to their uploader, and deleted once left
unsaved past their age."""

from __future__ import annotations

import pytest
from fastapi import HTTPException

from clearance.web.upload_jobs import Pending, UploadJobs


def test_an_unsaved_upload_is_deleted_once_too_old() -> None:
    jobs = UploadJobs(max_age=0.0)
    old = Pending("ed", "register", [], jobs.folder())
    (old.folder / "0-register.csv").write_text("Tag,Make\n")
    old_key = jobs.hold(old)
    assert jobs.pending(old_key, "ed") is old
    jobs.hold(Pending("ed", "register", [], jobs.folder()))  # the next upload prunes
    assert not old.folder.exists()
    with pytest.raises(HTTPException):
        jobs.pending(old_key, "ed")


def test_an_upload_is_its_uploaders_only() -> None:
    jobs = UploadJobs()
    key = jobs.hold(Pending("ed", "register", [], jobs.folder()))
    with pytest.raises(HTTPException) as refused:
        jobs.pending(key, "someone else")
    assert refused.value.status_code == 404
    jobs.drop(key)
