"""What the case services tell a user (Chinese), in one place."""

MESSAGES = {
    "stale": "该事项已被他人修改，请刷新后重试。",
    "date_format": "{label}应为日期（YYYY-MM-DD）。",
    "no_date": "请填写实际开始日期或实际办结日期。",
    "completed": "该事项已办结，不能再修改实际日期。",
    "start_first": "请先填写实际开始日期。",
    "start_future": "实际开始日期不能晚于今天。",
    "start_before_plan": "实际开始日期不能早于方案开始日期 {day:%Y-%m-%d}。",
    "finish_future": "实际办结日期不能晚于今天。",
    "finish_before_start": "实际办结日期不能早于实际开始日期。",
}
