"""审计包说明 — README.txt of the public audit bundle (projections/audit_bundle.py), in Chinese.

``readme(public_key)``: the text with the platform's results-signing public key in the command to run, so
that copying the command checks who signed. The key printed on the public notice is the one to trust: a
forger can change this file too, which the README says.
"""

TOOL_PATH = "/audit/sanmin_audit.zip"

README = """三民评议 · 公开审计包 使用说明
================================

本审计包让任何人都能独立复核一次评议活动公布的结果，而不需要平台的数据库或服务器密钥。
包中不含任何能识别评议人的信息：没有姓名、登录码、邀请码、手机号、地址、投票时间、会场、投票顺序或意见内容。

文件
----
rule.json         计分规则：评价等次（分值、是否计为满意）或评价指标（满分、权重）、
                  “不了解”（弃权）的代码、各代表类别的权重（category_shares）、计权方式（weighting）、
                  去极值个数（trim）、最少有效票数（min_valid_votes）、综合结果各部分及其权重（components），
                  以及每个部门所属的部门组（departments）。
                  设有网络评议的活动另有 online：网络评议计入综合结果的组成部分名称（component）及其权重
                  （weight，与 components 中的相同；尚未计入时为 null）、类别（category，网上评议作为一个类别）、
                  去极值个数（trim）和计算得分所需的最少票数（min_ballots）。
counts.json       每个部门未列入 ballots.csv 的票：作废（voided）、被本人后来改票取代的旧版本（superseded）、
                  规则已不再提供其选项的票（not_offered）。设有网络评议的活动，每个部门另有 online，
                  同样列出未列入 online_ballots.csv 的网上评议票：被会务组成批作废的（voided）、被改票取代的
                  旧版本（superseded）、规则已不再提供其选项的（not_offered）。
ballots.csv       每张计票的票：部门、代表类别、选择（等次代码、unknown 或 scored），
                  指标评分制时每个指标的得分。顺序已随机打乱，与投票先后无关。
online_ballots.csv 仅设有网络评议的活动才有：每张计票的网上评议票（每张的最后一个版本，未作废）：
                  部门、选择，指标评分制时每个指标的得分。不含邀请码、手机号、地址、时间或意见，顺序已随机打乱。
components.csv    其他组成部分（如日常评议 daily）各部门的得分。
results.json      签名的结果文件：各部门的实评人数、有效票、弃权、各等次票数、得分、满意率、综合得分、
                  组内名次，rule.json 的 SHA-256 摘要（rule_sha256）、online_ballots.csv 的 SHA-256 摘要
                  （online_ballots_sha256，仅设有网络评议的活动），以及公布时的事件位置和哈希链值。
                  用 Ed25519 签名，公钥附在文件中；是不是平台签的，要用平台公布的公钥核对（见下文“如何复核”）。
checkpoints.json  公布前（含公布时）各次签名的哈希链检查点：链头、事件条数，以及不需密钥即可复核的
                  SHA-256 明链链头（plain_head）。日后得到完整事件历史的审计方可据此核对。

小单元保密
----------
计票不足 5 张的部门（rule.json 的 suppression_k）不公布其票，results.json 中其数字为 null、
标记 "suppressed": true；这些部门无法从本包复核，只保留名次和排列位置。
网上评议票不足 5 张的部门同样不公布其网上评议票（counts.json 中 online 为 "suppressed": true），
也没有网络评议得分。

如何复核
--------
1. 下载核验程序：评议结果公示页面“如何复核”一节的“核验程序”（网站上的 {tool_path}），
   解压到一个文件夹，把本审计包也放进去。
2. 安装 Python 3.11 以上和 cryptography 库（唯一的依赖）：  pip install cryptography
3. 在该文件夹运行（公钥就是平台的结果签名公钥，已写在命令里）：
       python -m sanmin_audit 审计包.zip --public-key {public_key}
   请与评议结果公示页面或公示文件上印的公钥比对：以公示上的为准（有人改动审计包时也能改动本说明）。
   程序核对签名（results.json 和每个检查点都必须用该公钥签名）和 rule.json 的摘要，按 docs/scoring.md
   的规则从 rule.json、ballots.csv、components.csv 重新计算每个部门的每个数字，并从 online_ballots.csv
   重新计算每个部门的网络评议得分、与 components.csv 中的“网络评议”得分核对，逐条列出不一致之处。
   退出码：0 全部一致且签名人是该公钥（“结论：通过”）；1 有不一致或无法读取；2 命令写错；
   3 没有给出 --public-key：签名人未核对，不认定通过——任何人都能改票、重算并用自己的密钥重新签名。
4. 也可以用电子表格手工计算（docs/scoring.md 第 7 节有算例）：
   - 每张有效票的分数：等次制为该等次的分值；指标制为 100 × Σ 权重 × 得分 / 满分；
     unknown 为弃权，计入实评人数但不是有效票；
   - 按类别计权（per_category）：每个类别先去掉最高、最低各 trim 个分数（该类别有效票多于 2×trim 时），
     求平均分，再按类别权重加权平均；满意率为各类别满意票比例的加权平均（不去极值）；
   - 按票计权（per_ballot）：去极值后所有剩余分数的平均；满意率为满意票 / 有效票；
   - 得分四舍五入到 3 位小数，满意率以百分数四舍五入到 2 位小数（精确计算，仅最后一次舍入）；
   - 网络评议得分：该部门全部网上评议票作为一个类别，按上面的规则（同一评价等次或指标、去掉最高最低各 trim 个）
     求平均分，四舍五入到 3 位小数；网上评议票（含 unknown）少于 min_ballots 张的部门没有网络评议得分；
   - 综合得分 = Σ 权重 × 各组成部分（live 为现场评议的精确得分，网络评议为上面 3 位小数的得分）；
   - 组内按综合得分（3 位小数）从高到低排名，同分同名次，下一名次跳过；同名次按满意率、部门代码排列；
     有效票少于 min_valid_votes 的为“有效票不足”，缺少组成部分的为“缺少组成部分”，无有效票的为“无有效票”，
     均不排名，依次列在后面。
"""


def readme(public_key: str) -> str:
    """README.txt with the platform's public key in its command."""
    return README.replace("{public_key}", public_key).replace("{tool_path}", TOOL_PATH)
