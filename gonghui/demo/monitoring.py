"""Demo data for monitoring (manage.py seed --demo): sources, two weeks of posts, a burst of collective wage-arrears
posts about 上海浦江精密机械有限公司 that raises a red alert and opens a warning case, a scheme, a team and a brief."""

from datetime import timedelta

from django.utils import timezone

POSTS = [
    # (days ago, text)
    (13, "迅达物流的快递员反映这个月社保没交，公司说下个月补缴，大家有点担心。"),
    (12, "汇城软件最近加班很多，周末也要到岗，调休一直批不下来。"),
    (11, "徐汇家政服务公司的阿姨说签的是劳务协议，没有劳动合同，想问问怎么维权。"),
    (10, "张江芯片设计公司裁员，部分员工说经济补偿按 N 算，没有 N+1。"),
    (9, "今天社区组织了职工健康讲座，来了很多人，讲得很实用。"),
    (9, "浦东小微烘焙店老板说下个月可能搬迁，店员担心工资和补偿。"),
    (8, "迅达物流仓库有员工搬货时扭伤了腰，公司不愿意认定工伤。"),
    (7, "汇城软件招聘要求 35 岁以下，有网友说这是年龄歧视。"),
    (6, "浦江精密机械厂车间噪音很大，有工人担心职业病。"),
    (5, "工会送清凉活动走进迅达物流，给一线快递员送去了防暑用品。"),
    (4, "张江芯片设计公司的员工说公积金基数按最低标准交。"),
    (3, "汇城软件有员工被口头辞退，公司不给书面通知也不给补偿。"),
    (2, "徐汇家政服务公司拖欠部分阿姨上个月的工资，说是客户还没结账。"),
    (1, "浦江精密机械这个月工资又晚发了，工人们有些议论。"),
]
BURST = [
    "浦江精密机械拖欠我们三个月工资，今天上午一百多名工人在厂门口聚集讨薪。",
    "上海浦江精密机械有限公司的工人集体停工了，老板欠薪不给，大家都堵在门口要说法。",
    "浦江精密又拖欠工资了，几十个工友今天一起去区政府上访讨薪。",
    "听说浦江精密的工人罢工了，工资拖了好几个月，现场好多人聚集。",
    "浦江精密机械厂门口围了很多人，集体讨薪，说是老板欠了半年工资。",
    "浦江精密工人第二天继续停工聚集，要求公司立即支付拖欠的工资。",
    "【转发】浦江精密机械拖欠我们三个月工资，今天上午一百多名工人在厂门口聚集讨薪。",
]


def build(*, users) -> None:
    from gonghui.monitoring import briefs
    from gonghui.monitoring import services as monitoring
    from gonghui.monitoring.ingestion import ingest
    from gonghui.monitoring.models import CommentTeam, Source
    from gonghui.orgs.models import Organization

    city = Organization.objects.get(parent__isnull=True)
    district_a = users["district_a"].role_assignments.get().organization
    partner = Source.objects.create(code="city-12345", name="12345 市民热线（合作推送）", kind="push",
                                    owner_organization=city)
    Source.objects.create(code="excel-upload", name="舆情人工报送（Excel）", kind="upload", owner_organization=city)
    now = timezone.now()
    ingest(source=partner, items=[
        {"external_id": f"demo-{i}", "text": text, "published_at": now - timedelta(days=days, hours=i % 5)}
        for i, (days, text) in enumerate(POSTS)])
    ingest(source=partner, items=[
        {"external_id": f"demo-burst-{i}", "text": text, "published_at": now - timedelta(hours=6 - i / 2)}
        for i, text in enumerate(BURST)])
    monitoring.save_scheme(actor=users["district_a"], organization=district_a, name="浦东企业欠薪监测",
                           region_terms=[], subject_terms=["浦江精密", "迅达物流", "张江芯片"],
                           event_terms=["欠薪", "拖欠工资", "讨薪", "工资晚发"], exclude_terms=["从未拖欠"],
                           confirm_warnings=True)
    team = CommentTeam.objects.create(name="浦东新区网评员队伍", owner_organization=district_a)
    team.members.add(users["district_a"], users["union_a1"])
    briefs.generate(actor=None, organization=city, kind="daily", day=timezone.localdate())
