import io
import json
from datetime import timedelta

from django.utils import timezone

from gonghui.hall import services as hall
from gonghui.hall.choices import Channel
from gonghui.hall.models import ServiceType
from gonghui.monitoring import channels
from gonghui.monitoring.choices import FeedStatus
from gonghui.monitoring.models import Post, PostTag, Source
from gonghui.monitoring.tests.helpers import push, serve, source

RSS = """<?xml version="1.0" encoding="{enc}"?>
<rss version="2.0"><channel><title>本地新闻</title>
<item><guid>n1</guid><title>浦江精密拖欠工资</title><link>http://news.example/1</link>
<description><![CDATA[<p>上海浦江精密机械有限公司拖欠工人三个月工资，<script>alert(1)</script>工人投诉。</p>]]></description>
<pubDate>{date}</pubDate></item>
<item><guid>n2</guid><title>社区举办读书会</title><link>http://news.example/2</link>
<description>周末社区图书馆举办读书会，居民踊跃参加。</description><pubDate>{date}</pubDate></item>
</channel></rss>"""


def _rss(enc="utf-8"):
    date = timezone.now().strftime("%a, %d %b %Y %H:%M:%S +0000")
    return RSS.format(enc=enc, date=date).encode(enc)


def test_a_pushed_batch_is_normalised_linked_and_idempotent(world):
    first = push(world, ["<b>浦江精密</b>拖欠工资三个月了<script>x()</script>", "   ", "今天天气很好，大家去公园散步。"])
    assert first.created == 2 and first.empty == 1
    post = Post.objects.get(external_id="x0")
    assert "<" not in post.text and "x()" not in post.text
    assert post.enterprise == world.enterprises["a1"] and post.owner_organization == world.orgs["union_a1"]
    assert "wage_arrears" in post.categories
    again = push(world, ["<b>浦江精密</b>拖欠工资三个月了", "", "今天天气很好，大家去公园散步。"])
    assert again.created == 0 and again.already == 2 and Post.objects.count() == 2


def test_reposts_are_grouped_and_not_counted_twice(world):
    text = "上海浦江精密机械有限公司拖欠工资三个月，一百多名工人在厂门口聚集讨薪，要求老板出面解决。"
    result = push(world, [text, text + "转发", "【转】" + text])
    assert result.created == 3 and result.near_duplicates == 2
    first = Post.objects.get(external_id="x0")
    assert set(Post.objects.filter(duplicate_of=first).values_list("external_id", flat=True)) == {"x1", "x2"}
    assert PostTag.objects.filter(post__in=Post.objects.filter(external_id__in=["x1", "x2"])).count() == 0
    later = push(world, [text + "！！"], prefix="later")
    assert later.near_duplicates == 1


def test_posts_about_district_a_stay_out_of_district_b(world):
    push(world, ["浦江精密拖欠工资三个月"])
    assert Post.objects.visible_to(world.users["district_a"], "monitoring.view").count() == 1
    assert Post.objects.visible_to(world.users["district_b"], "monitoring.view").count() == 0
    assert Post.objects.visible_to(world.users["union_a1"], "monitoring.view").count() == 1


def test_a_feed_served_from_localhost_is_pulled(world):
    with serve({"/rss.xml": (_rss(), "application/rss+xml"), "/gbk.xml": (_rss("gbk"), "application/rss+xml")}) as url:
        feed = source(world, "news", kind="feed", url=f"{url}/rss.xml")
        result = channels.pull_feed(feed)
        gbk = source(world, "gbk", kind="feed", url=f"{url}/gbk.xml")
        assert channels.pull_feed(gbk).created == 2
    assert result.created == 2
    feed.refresh_from_db()
    assert feed.status == FeedStatus.OK and feed.failures == 0 and feed.next_pull_at > timezone.now()
    post = Post.objects.get(source=feed, external_id="n1")
    assert "alert(1)" not in post.text and post.url == "http://news.example/1"
    assert Post.objects.get(source=gbk, external_id="n1").enterprise == world.enterprises["a1"]


def test_a_failing_feed_backs_off_exponentially(world):
    with serve({}) as url:
        feed = source(world, "broken", kind="feed", url=f"{url}/missing.xml")
        now = timezone.now()
        assert channels.pull_feed(feed, now=now) is None
        feed.refresh_from_db()
        first_delay = feed.next_pull_at - now
        channels.pull_feed(feed, now=now)
        feed.refresh_from_db()
    assert feed.status == FeedStatus.FAILING and feed.failures == 2 and feed.last_error
    assert feed.next_pull_at - now == 2 * first_delay


def test_hostile_feeds_are_refused(world):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b"<rss><channel><item><title>&b;</title></item></channel></rss>")
    huge = b"<rss>" + b"x" * (channels.MAX_FEED_BYTES + 10) + b"</rss>"
    with serve({"/bomb.xml": (bomb, "text/xml"), "/huge.xml": (huge, "text/xml"),
                "/junk": (b"\xff\xfe\x00garbage", "text/xml")}) as url:
        for path in ("bomb.xml", "huge.xml", "junk"):
            feed = source(world, path.replace(".", "-"), kind="feed", url=f"{url}/{path}")
            assert channels.pull_feed(feed) is None
            feed.refresh_from_db()
            assert feed.status == FeedStatus.FAILING, path
    assert not Post.objects.exists()


def test_due_feeds_are_pulled_by_the_scheduler_once(world):
    with serve({"/rss.xml": (_rss(), "application/rss+xml")}) as url:
        source(world, "news", kind="feed", url=f"{url}/rss.xml")
        assert channels.pull_due_feeds() == 1
        assert channels.pull_due_feeds() == 0


def test_gbk_csv_and_excel_uploads(world):
    upload = source(world, "upload", kind="upload")
    csv_bytes = "正文,发布时间\n浦江精密拖欠工资，工人投诉,2026-01-05 10:00\n,\n".encode("gbk")
    result = channels.upload(actor=world.users["district_a"], source=upload, name="posts.csv", data=csv_bytes)
    assert result.created == 1 and result.empty == 1
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["text", "external_id"])
    book.active.append(["汇城软件强制加班不给加班费", "e1"])
    data = io.BytesIO()
    book.save(data)
    result = channels.upload(actor=world.users["district_a"], source=upload, name="posts.xlsx", data=data.getvalue())
    assert result.created == 1
    assert Post.objects.get(external_id="e1").enterprise == world.enterprises["b1"]


def test_an_upload_without_a_text_column_is_refused_with_a_message(world):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        channels.items_from_upload("a.csv", "标题\n没有正文列\n".encode())
    assert "file" in error.value.message_dict


def test_hall_requests_and_hotline_notes_enter_redacted(world):
    service = ServiceType.objects.get(code="general-consultation")
    hall.submit_request(actor=world.users["union_a1"], service_type=service, channel=Channel.HOTLINE,
                        organization=world.orgs["union_a1"], applicant_name="王小明", idempotency_key="hot-1",
                        summary="我叫王小明，电话13912345678，浦江精密拖欠工资两个月。")
    assert channels.take_in_hall_requests() >= 1
    note = Post.objects.get(source__code="internal-hotline")
    assert "13912345678" not in note.text and "王小明" not in note.text and "wage_arrears" in note.categories
    assert channels.take_in_hall_requests() == 0  # the cursor moved on


def test_push_api_limits_and_idempotency(world):
    source(world)
    client = world.client("district_a")
    body = {"source": "partner", "items": [{"external_id": "a", "text": "浦江精密拖欠工资"}]}
    first = client.post("/api/v1/monitoring/push", json.dumps(body), content_type="application/json")
    second = client.post("/api/v1/monitoring/push", json.dumps(body), content_type="application/json")
    assert first.json()["created"] == 1 and second.json()["already"] == 1
    big = json.dumps({"source": "partner", "items": [{"external_id": "b", "text": "字" * 1000}] * 7000})
    response = client.post("/api/v1/monitoring/push", big, content_type="application/json")
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    many = {"source": "partner", "items": [{"external_id": str(i), "text": "t"} for i in range(501)]}
    response = client.post("/api/v1/monitoring/push", json.dumps(many), content_type="application/json")
    assert response.status_code == 422
    response = world.client("union_a1").post("/api/v1/monitoring/push", json.dumps(body),
                                             content_type="application/json")
    assert response.status_code == 403


def test_classify_api_returns_a_classification_per_text(world):
    client = world.client("union_a1")
    response = client.post("/api/v1/monitoring/classify", json.dumps(
        {"texts": ["公司拖欠工资三个月，工人聚集讨薪", "今天天气很好"]}), content_type="application/json")
    rows = response.json()
    assert response.status_code == 200 and len(rows) == 2
    assert "wage_arrears" in rows[0]["categories"] and rows[1]["categories"] == []
    assert -1 <= rows[0]["sentiment"] <= 1 and set(rows[0]) == {"categories", "sentiment", "severity", "terms"}
    too_many = client.post("/api/v1/monitoring/classify", json.dumps({"texts": ["a"] * 201}),
                           content_type="application/json")
    assert too_many.status_code == 422


def test_old_posts_do_not_start_in_the_future(world):
    ahead = timezone.now() + timedelta(days=3)
    push(world, ["浦江精密拖欠工资"], prefix="f")
    from gonghui.monitoring.ingestion import ingest

    ingest(source=Source.objects.get(code="partner"), items=[{"external_id": "fut", "text": "测试",
                                                              "published_at": ahead.isoformat()}])
    assert Post.objects.get(external_id="fut").published_at <= timezone.now()
