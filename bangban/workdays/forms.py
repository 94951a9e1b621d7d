from django import forms

from bangban.common.fields import FORM_MESSAGES

from .models import CalendarYear, DayOverride
from .services import MAX_YEAR, MIN_YEAR, notice_validate

NOTICE_HELP = (
    "每行一段安排：“休 起始日期 至 结束日期 名称”或“班 日期 名称”，例如：<br>"
    "休 2027-01-01 至 2027-01-03 元旦<br>"
    "班 2027-02-14 春节调休上班<br>"
    "范围也可写作“~”或“-”；以 # 开头的行和空行忽略。保存后本年度按通知确认，"
    "此前录入的本年度通知内容全部替换。"
)


class CalendarYearNoticeForm(forms.ModelForm):
    """A whole year's notice in one textarea; errors name the line."""

    notice_text = forms.CharField(
        label="通知内容",
        max_length=CalendarYear._meta.get_field("notice_text").max_length,
        error_messages=FORM_MESSAGES,
        widget=forms.Textarea(attrs={"rows": 24, "cols": 80, "style": "font-family: monospace"}),
        help_text=NOTICE_HELP,
    )

    class Meta:
        model = CalendarYear
        fields = ["year", "notice_title", "notice_text"]

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year", self.instance.year if self.instance.pk else None)
        text = cleaned.get("notice_text")
        if year is not None and text:
            try:
                notice_validate(year=year, text=text)
            except forms.ValidationError as exc:
                self.add_error("notice_text", exc)
        return cleaned


class DayOverrideForm(forms.ModelForm):
    """One date fixed by hand (e.g. a local holiday)."""

    class Meta:
        model = DayOverride
        fields = ["date", "is_working_day", "name", "note"]

    def clean_date(self):
        date = self.cleaned_data["date"]
        if not MIN_YEAR <= date.year <= MAX_YEAR:
            raise forms.ValidationError(f"日期须在 {MIN_YEAR} 至 {MAX_YEAR} 年之间。")
        return date
