"""Vacancy pages (vacancy_urls) and the matching pages beside them (matching_urls), under one namespace."""

from carelead.vacancies import matching_urls, vacancy_urls

app_name = "vacancies"
urlpatterns = vacancy_urls.urlpatterns + matching_urls.urlpatterns
