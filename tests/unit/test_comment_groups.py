"""部门意见汇总按合并主题：重复的句子合为一条并计数；组织方的合并、主题、非意见与脱敏优先；未分拣的个人信息被遮盖。"""

from __future__ import annotations

from projections.comment_groups import OTHER_THEME, Triaged, merged_themes

REPEATED = "希望尽快解决老旧小区停水问题"


def test_the_same_sentence_typed_many_times_is_one_group_with_its_count() -> None:
    comments = [(REPEATED, "不满意")] * 47 + [(REPEATED + "。", "基本满意"), ("窗口服务态度很好", "满意")]
    merged = merged_themes(comments)
    themes, set_aside = merged.themes, merged.set_aside
    groups = [g for t in themes for g in t.groups]
    assert set_aside == 0 and sum(g.count for g in groups) == 49
    biggest = groups[0]
    assert (biggest.text, biggest.count) == (REPEATED, 48)
    assert biggest.levels == (("不满意", 47), ("基本满意", 1)) and not biggest.merged_by_organiser
    assert [t.theme for t in themes] == ["公用设施", "服务态度"]
    assert [t.count for t in themes] == [48, 1]


def test_the_organiser_s_merge_theme_and_redaction_win_and_non_opinions_are_left_out() -> None:
    comments = [("路灯坏了没人修", "不满意"), ("晚上路灯不亮", "不满意"), ("骂人的话", "不满意")]
    comments += [("我叫张三，电话13912345678，家门口积水", "基本满意")]
    triage = [
        Triaged("路灯坏了没人修", "路灯坏了没人修", "夜间照明", "g1", False, False),
        Triaged("晚上路灯不亮", "晚上路灯不亮", "夜间照明", "g1", False, False),
        Triaged("骂人的话", "骂人的话", None, None, True, False),
        Triaged("我叫张三，电话13912345678，家门口积水", "［姓名］家门口积水", None, None, False, True),
    ]
    merged = merged_themes(comments, triage)
    themes, set_aside = merged.themes, merged.set_aside
    assert set_aside == 1
    by_theme = {t.theme: t for t in themes}
    lights = by_theme["夜间照明"].groups
    assert len(lights) == 1 and lights[0].count == 2 and lights[0].merged_by_organiser
    everything = " ".join(g.text for t in themes for g in t.groups)
    assert "骂人" not in everything and "张三" not in everything and "［姓名］家门口积水" in everything
    assert len(merged.shown) == 3 and not any("张三" in text for text, _ in merged.shown)


def test_personal_data_in_a_comment_not_yet_triaged_is_masked() -> None:
    themes = merged_themes([("请联系我13912345678", "满意"), ("我是李明，办事太慢", "不满意")]).themes
    texts = [g.text for t in themes for g in t.groups]
    assert "请联系我［电话］" in texts and "我是［姓名］，办事太慢" in texts
    assert not any("13912345678" in t or "李明" in t for t in texts)


def test_a_comment_no_theme_fits_goes_last_under_other() -> None:
    themes = merged_themes([("没什么", "满意"), ("办事效率高", "满意"), ("审批很快", "满意")]).themes
    assert themes[-1].theme == OTHER_THEME and themes[0].theme == "办事效率"


def test_no_comment_gives_no_theme() -> None:
    empty = merged_themes([("  ", "满意")])
    assert (empty.themes, empty.set_aside, empty.shown) == ([], 0, [])


def test_a_group_of_fewer_than_five_comments_shows_no_levels_and_a_group_of_five_does() -> None:
    comments = [("窗口排队太久", "满意")] * 3 + [("窗口排队太久", "不满意")] * 2
    comments += [("窗口排队太久了", "基本满意")] * 3 + [("有些数字老百姓感受不到！", "基本满意")]
    groups = {g.text: g for t in merged_themes(comments).themes for g in t.groups}
    assert groups["窗口排队太久"].count >= 5 and ("满意", 3) in groups["窗口排队太久"].levels
    assert groups["有些数字老百姓感受不到！"].count == 1 and groups["有些数字老百姓感受不到！"].levels == ()
    four = merged_themes([("路灯不亮", "不满意")] * 4).themes[0].groups[0]
    assert (four.count, four.levels) == (4, ())


def test_a_group_of_five_or_more_that_all_gave_one_level_shows_no_levels() -> None:
    """「不满意 5」 beside five people's words is each writer's own grade, as surely as a group of one."""
    same = merged_themes([("路灯不亮", "不满意")] * 6).themes[0].groups[0]
    assert (same.count, same.levels) == (6, ())
    mixed = merged_themes([("路灯不亮", "不满意")] * 5 + [("路灯不亮", "满意")]).themes[0].groups[0]
    assert mixed.levels == (("不满意", 5), ("满意", 1))
