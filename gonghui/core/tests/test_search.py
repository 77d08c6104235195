import pytest

from gonghui.core import search
from gonghui.orgs.models import Enterprise, Organization
from gonghui.orgs.selectors import list_enterprises, list_organizations


@pytest.mark.parametrize("query", ["浦江精密", "精密机械", "浦江", "机械有限", "精", "91310115MA1K00001"])
def test_partial_chinese_names_find_the_enterprise(world, query):
    names = [e.name for e in list_enterprises(world.users["city"], query=query)]
    if query.startswith("9131"):
        assert names == []  # credit codes are matched whole, not by prefix
    else:
        assert "上海浦江精密机械有限公司" in names


def test_whole_credit_code_finds_the_enterprise(world):
    e = world.enterprises["a1"]
    assert [x.pk for x in list_enterprises(world.users["city"], query=e.uscc)] == [e.pk]


def test_best_match_ranks_first(world):
    ranked = list(list_organizations(world.users["city"], query="浦东新区"))
    assert ranked[0].name == "浦东新区总工会"


def test_search_respects_scope(world):
    assert list_enterprises(world.users["district_b"], query="浦江精密").count() == 0


def test_renamed_enterprise_is_found_by_its_new_name(world):
    from gonghui.orgs.services import update_enterprise

    update_enterprise(actor=world.users["district_a"], enterprise=world.enterprises["a1"], name="上海东海重工有限公司")
    assert [e.name for e in list_enterprises(world.users["city"], query="东海重工")] == ["上海东海重工有限公司"]
    assert not list_enterprises(world.users["city"], query="浦江精密").exists()


def test_queries_with_syntax_characters_are_harmless(world):
    for query in ['"', "AND OR NOT", "'; DROP TABLE x; --", "浦江*", "(", "a:b", "&|!"]:
        list(list_enterprises(world.users["city"], query=query))
        list(list_organizations(world.users["city"], query=query))


def test_tokens_include_words_and_bigrams():
    tokens = search.tokens_for_index("深圳华为技术有限公司").split()
    assert "华为" in tokens and "为技" in tokens and "华为技术有限公司" in tokens


def test_empty_query_matches_nothing(db):
    assert search.ranked_ids("enterprise", "   ") == []
    assert Enterprise.objects.count() == 0 and Organization.objects.count() == 0


def test_rebuilding_the_index_keeps_search_working(world):
    from django.core.management import call_command

    from gonghui.core.models import SearchDocument

    SearchDocument.objects.all().delete()
    assert not list_enterprises(world.users["city"], query="浦江精密").exists()
    call_command("rebuild_search_index")
    assert [e.name for e in list_enterprises(world.users["city"], query="浦江精密")] == ["上海浦江精密机械有限公司"]


def test_one_kind_does_not_crowd_out_another(world):
    # 上海浦江精密机械有限公司 is both an enterprise and (with 工会) an organisation name.
    assert list_enterprises(world.users["city"], query="浦江精密").count() == 1
    assert list_organizations(world.users["city"], query="浦江精密").count() == 1
