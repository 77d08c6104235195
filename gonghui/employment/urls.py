app_name = "employment"
urlpatterns = []
