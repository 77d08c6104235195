from django.db import migrations


def forward(apps, schema_editor):
    ServiceType = apps.get_model("hall", "ServiceType")
    ServiceType.objects.update_or_create(
        code="union-join",
        defaults={
            "name": "申请加入工会",
            "description": "以工资收入为主要生活来源的职工，包括快递员、外卖送餐员、网约车司机、货车司机等新就业形态劳动者，"
                           "均可在线申请入会。申请按工作单位工会、覆盖单位或平台行业的联合会、居住地街道（乡镇）工会、"
                           "区总工会的顺序分派，受理工会在期限内联系并审核。",
            "materials": ["本人居民身份证"],
            "applicant_kind": "worker",
            "handling_level": "grassroots",
            "deadline_days": 15,
            "workflow": "join",
            "online": True,
            "offline": True,
            "sort_order": 5,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("organizing", "0001_join_applications"), ("hall", "0002_calendar_and_catalogue")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
