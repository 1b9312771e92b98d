"""Who may do what: owners and org members push; others open PRs; private repos are invisible."""

from __future__ import annotations

import pytest
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError


@pytest.fixture(scope="module")
def people(make_hub_user):
    alice = make_hub_user(orgs=["auth-org"])
    bob = make_hub_user(orgs=["auth-org"])
    carol = make_hub_user()
    alice.api.create_repo("auth-org/public")
    alice.api.create_repo("auth-org/secret", private=True)
    return alice, bob, carol


def _status(call) -> int:
    with pytest.raises(HfHubHTTPError) as error:
        call()
    return error.value.response.status_code


def test_org_members_push_to_main_others_cannot(people, anonymous_api) -> None:
    _, bob, carol = people
    bob.api.upload_file(path_or_fileobj=b"bob", path_in_repo="bob.txt", repo_id="auth-org/public")
    assert _status(lambda: carol.api.upload_file(path_or_fileobj=b"c", path_in_repo="c.txt",
                                                 repo_id="auth-org/public")) == 403
    assert _status(lambda: anonymous_api.upload_file(path_or_fileobj=b"a", path_in_repo="a.txt",
                                                     repo_id="auth-org/public", create_pr=True)) == 401
    assert "c.txt" not in anonymous_api.list_repo_files("auth-org/public")


def test_anyone_with_a_token_opens_a_pr_on_a_public_repo(people) -> None:
    _, _, carol = people
    info = carol.api.upload_file(path_or_fileobj=b"c", path_in_repo="c.txt", repo_id="auth-org/public",
                                 create_pr=True)
    assert info.pr_num is not None


def test_private_repos_are_invisible_to_others(people, anonymous_api) -> None:
    _, bob, carol = people
    assert bob.api.model_info("auth-org/secret").private is True
    for api in (carol.api, anonymous_api):
        with pytest.raises(RepositoryNotFoundError):
            api.model_info("auth-org/secret")
        with pytest.raises(RepositoryNotFoundError):
            api.hf_hub_download("auth-org/secret", ".gitattributes")
        assert "auth-org/secret" not in [m.id for m in api.list_models(author="auth-org")]
    with pytest.raises(RepositoryNotFoundError):
        carol.api.upload_file(path_or_fileobj=b"x", path_in_repo="x", repo_id="auth-org/secret", create_pr=True)
    with pytest.raises(RepositoryNotFoundError):
        carol.api.delete_repo("auth-org/secret")


def test_visibility_change_and_namespace_rules(people, anonymous_api) -> None:
    alice, _, carol = people
    alice.api.create_repo("auth-org/flip", private=True)
    alice.api.update_repo_settings("auth-org/flip", private=False)
    assert anonymous_api.model_info("auth-org/flip").private is False
    assert _status(lambda: carol.api.create_repo("auth-org/intruder")) == 403
    assert _status(lambda: carol.api.delete_repo("auth-org/flip")) == 403
    assert _status(lambda: anonymous_api.create_repo("auth-org/anon")) == 401
    assert _status(lambda: carol.api.update_repo_settings("auth-org/flip", private=True)) == 403
