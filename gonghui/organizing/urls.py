app_name = "organizing"
urlpatterns = []
