from django.db import migrations


def forward(apps, schema_editor):
    ServiceType = apps.get_model("hall", "ServiceType")
    ServiceType.objects.get_or_create(
        code="monitoring-warning",
        defaults={
            "name": "劳动关系风险预警（四早）",
            "description": "舆情监测发现的劳动关系风险，由覆盖企业的工会早报告、早参与、早处置、早化解。"
                           "由监测系统自动立案，不接受个人申请。",
            "materials": [],
            "applicant_kind": "worker",
            "handling_level": "grassroots",
            "deadline_days": 2,
            "workflow": "monitoring-warning",
            "online": False,
            "offline": False,
            "is_active": False,
            "sort_order": 900,
        },
    )
    MonitoringPolicy = apps.get_model("monitoring", "MonitoringPolicy")
    if not MonitoringPolicy.objects.exists():
        MonitoringPolicy.objects.create()
    AlertRule = apps.get_model("monitoring", "AlertRule")
    if not AlertRule.objects.exists():
        AlertRule.objects.create(name="集体行动：同一企业 24 小时内 5 条以上", category="collective_action",
                                 scope="enterprise", min_posts=5, window_hours=24, severity="red")
        AlertRule.objects.create(name="欠薪：同一企业 24 小时内 5 条以上", category="wage_arrears",
                                 scope="enterprise", min_posts=5, window_hours=24, severity="orange")
        AlertRule.objects.create(name="同一区同类 24 小时内 20 条以上", category="", scope="district",
                                 min_posts=20, window_hours=24, severity="yellow")


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial"), ("hall", "0002_calendar_and_catalogue")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
