from django.db import migrations


def forward(apps, schema_editor):
    ServiceType = apps.get_model("hall", "ServiceType")
    ServiceType.objects.get_or_create(
        code="hardship-aid",
        defaults={
            "name": "困难职工帮扶申请",
            "description": "家庭人均月收入低于当地最低生活保障标准或其 2 倍，或因意外、灾害、重病致困的职工，可申请建档帮扶。"
                           "所在基层工会入户核实，区总工会审批。",
            "materials": ["家庭成员收入证明", "医疗、教育等刚性支出票据", "户口簿或居住证明"],
            "applicant_kind": "member",
            "handling_level": "grassroots",
            "deadline_days": 20,
            "workflow": "hardship",
            "online": True,
            "offline": True,
            "sort_order": 20,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("hardship", "0001_initial"), ("hall", "0002_calendar_and_catalogue")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
