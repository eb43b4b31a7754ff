"""The error tree: bilingual user messages, the CLI's error object, exit-code classification."""

from __future__ import annotations

import json

from core.commands.output import error_json
from core.errors import (
    ConnectError,
    ErrorInfo,
    FxiaokeAuthError,
    FxiaokeQuotaError,
    K3CloudError,
    MappingError,
    MissingRef,
    PreflightError,
    SecretStoreError,
    Text,
    is_connection_or_auth,
    join_sentences,
)


def test_message_and_advice_read_as_two_sentences_in_each_language():
    err = PreflightError(Text("物料 MAT-9 在金蝶中不存在", "Material MAT-9 does not exist in K3Cloud"),
                         Text("请先在金蝶中新增该物料。", "Add the material in K3Cloud first."))
    assert err.text("zh") == "物料 MAT-9 在金蝶中不存在。请先在金蝶中新增该物料。"
    assert err.text("en") == "Material MAT-9 does not exist in K3Cloud. Add the material in K3Cloud first."
    assert err.user_message.splitlines() == [
        "物料 MAT-9 在金蝶中不存在", "请先在金蝶中新增该物料。",
        "Material MAT-9 does not exist in K3Cloud", "Add the material in K3Cloud first."]


def test_join_keeps_existing_punctuation_and_skips_empty_parts():
    assert join_sentences("已完成。", "下一步。") == "已完成。下一步。"
    assert join_sentences("Done.", "", "en") == "Done."
    assert join_sentences("", "Only advice.", "en") == "Only advice."


def test_cli_error_object_names_side_code_and_both_languages():
    err = K3CloudError(Text("单号重复", "Duplicate number"), msg_code=11)
    assert error_json(err.info()) == {"side": "k3cloud", "code": "11", "message": "单号重复 | Duplicate number"}
    assert error_json(MappingError(Text("缺少字段", "Field missing"), row=3).info())["side"] == "mapping"


def test_an_error_value_survives_the_journal_round_trip_with_its_details():
    err = PreflightError(Text("物料 MAT-9 在金蝶中不存在", "Material MAT-9 does not exist"),
                         Text("请先新增该物料。", "Add the material first."), code="missing_base_data",
                         missing=[MissingRef("material", "MAT-9", "BD_MATERIAL")]).info()
    back = ErrorInfo.from_json(json.loads(json.dumps(err.to_json())))
    assert back == err and back.details == {"missing": [{"kind": "material", "number": "MAT-9",
                                                          "form_id": "BD_MATERIAL", "reason": "missing",
                                                          "org": ""}]}
    assert (back.message, back.advice, back.code, back.side) == (err.message, err.advice, "missing_base_data",
                                                                 "k3cloud")


def test_a_row_stored_by_an_older_version_reads_back_whole_in_both_languages():
    old = {"side": "k3cloud", "code": "11", "message": "单号重复 | Duplicate number"}
    info = ErrorInfo.from_json(old)
    assert info is not None and info.code == "11" and info.message.zh == info.message.en == old["message"]


def test_connection_and_auth_errors_are_exit_code_3_and_others_are_not():
    assert is_connection_or_auth(ConnectError(Text("连不上", "Refused")))
    assert is_connection_or_auth(FxiaokeAuthError(Text("令牌错误", "Bad token"), code=20016))
    assert is_connection_or_auth(FxiaokeQuotaError(Text("未购买 OpenAPI 资源包", "No OpenAPI package"), code=30003))
    assert not is_connection_or_auth(K3CloudError(Text("单号重复", "Duplicate"), msg_code=11))
    assert not is_connection_or_auth(SecretStoreError(Text("没有钥匙串", "No keyring")))
