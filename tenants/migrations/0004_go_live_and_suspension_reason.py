"""Restaurants start "not live" until their owner goes live (every existing restaurant was already live);
suspended tenants carry the reason their owners are shown."""

from django.db import migrations, models
from django.db.models.functions import Now


def existing_restaurants_are_live(apps, schema_editor):
    Restaurant = apps.get_model("tenants", "Restaurant")
    Restaurant.objects.filter(went_live_at__isnull=True).update(went_live_at=Now())


class Migration(migrations.Migration):
    dependencies = [("tenants", "0003_menuitem_allergens_declared")]

    operations = [
        migrations.AddField(
            model_name="restaurant",
            name="went_live_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(existing_restaurants_are_live, migrations.RunPython.noop),
        migrations.AddField(
            model_name="tenant",
            name="suspension_reason",
            field=models.CharField(
                blank=True, help_text="Shown to the tenant's owners while it is suspended.", max_length=300
            ),
        ),
    ]
