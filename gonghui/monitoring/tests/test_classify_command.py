"""manage.py monitoring_classify: JSON lines in, JSON lines out, bad lines reported without stopping."""

import io
import json

import pytest
from django.core.management import CommandError, call_command


def run(lines: list[str], **options) -> tuple[list[dict], str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(
        "monitoring_classify",
        stdin=io.StringIO("\n".join(lines) + "\n"),
        stdout=stdout,
        stderr=stderr,
        **options,
    )
    return [json.loads(line) for line in stdout.getvalue().splitlines()], stderr.getvalue()


def test_classifies_each_line():
    out, err = run(
        [
            json.dumps({"text": "老板跑路了，200多名工人三个月工资没发"}, ensure_ascii=False),
            json.dumps({"id": "p2", "text": "<p>今天天气很好，心情不错</p>"}, ensure_ascii=False),
        ]
    )
    assert err == ""
    assert len(out) == 2
    first, second = out
    assert set(first) == {"categories", "sentiment", "severity", "terms"}
    assert {"wage_arrears", "enterprise_closure"} <= set(first["categories"])
    assert first["severity"] == "red"
    assert first["terms"]
    assert second["id"] == "p2" and second["categories"] == [] and second["sentiment"] > 0


def test_bad_lines_give_errors_and_the_run_goes_on():
    out, err = run(
        [
            "not json",
            json.dumps({"txt": "typo"}),
            json.dumps(["a list"]),
            json.dumps({"text": 42}),
            "",
            json.dumps({"text": "公司拖欠工资"}, ensure_ascii=False),
        ]
    )
    assert [o.get("line") for o in out[:4]] == [1, 2, 3, 4]
    assert all("error" in o for o in out[:4])
    assert out[4]["categories"] == ["wage_arrears"]
    assert "4 line(s)" in err


def test_rules_file(tmp_path):
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"yellow_people": 2, "orange_people": 3, "red_people": 4}))
    out, _ = run([json.dumps({"text": "5名工人被拖欠工资"}, ensure_ascii=False)], rules=str(rules))
    assert out[0]["severity"] == "red"
    rules.write_text(json.dumps({"red_people": -1}))
    with pytest.raises(CommandError):
        run(["{}"], rules=str(rules))
    with pytest.raises(CommandError):
        run(["{}"], rules=str(rules), policy=True)


@pytest.mark.django_db
def test_policy_rules_from_the_database():
    from gonghui.monitoring.models import MonitoringPolicy

    text = json.dumps({"text": "5名工人被拖欠工资"}, ensure_ascii=False)
    out, _ = run([text], policy=True)  # no stored policy: the defaults
    assert out[0]["severity"] == "blue"
    policy = MonitoringPolicy.current()
    policy.severity_rules = {"yellow_people": 2, "orange_people": 3, "red_people": 4}
    policy.save()
    out, _ = run([text], policy=True)
    assert out[0]["severity"] == "red"
