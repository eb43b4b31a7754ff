<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ConnectionFields</name>
    <message>
        <source>Profile name</source>
        <translation>配置名称</translation>
    </message>
    <message>
        <source>Gateway URL</source>
        <translation>网关地址</translation>
    </message>
    <message>
        <source>appId</source>
        <translation>appId</translation>
    </message>
    <message>
        <source>appSecret</source>
        <translation>appSecret</translation>
    </message>
    <message>
        <source>Permanent code</source>
        <translation>永久授权码</translation>
    </message>
    <message>
        <source>Operator openUserId</source>
        <translation>操作人 openUserId</translation>
    </message>
    <message>
        <source>Admin mobile</source>
        <translation>管理员手机号</translation>
    </message>
    <message>
        <source>Site URL</source>
        <translation>站点地址</translation>
    </message>
    <message>
        <source>Data center</source>
        <translation>数据中心</translation>
    </message>
    <message>
        <source>Login mode</source>
        <translation>登录方式</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>App ID</source>
        <translation>应用 ID</translation>
    </message>
    <message>
        <source>App secret</source>
        <translation>应用密钥</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Organisation No.</source>
        <translation>组织编码</translation>
    </message>
    <message>
        <source>CA bundle</source>
        <translation>CA 证书</translation>
    </message>
    <message>
        <source>Connect timeout</source>
        <translation>连接超时</translation>
    </message>
    <message>
        <source>Read timeout</source>
        <translation>读取超时</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>每批条数</translation>
    </message>
    <message>
        <source>Submit after saving</source>
        <translation>保存后提交</translation>
    </message>
    <message>
        <source>Audit after submitting</source>
        <translation>提交后审核</translation>
    </message>
    <message>
        <source>Write the K3 number back to Fxiaoke</source>
        <translation>把金蝶单号回写到纷享销客</translation>
    </message>
    <message>
        <source>Shipped means</source>
        <translation>发货单据</translation>
    </message>
    <message>
        <source>Receipt bill type</source>
        <translation>收款单单据类型</translation>
    </message>
    <message>
        <source>Receipt settlement type</source>
        <translation>收款结算方式</translation>
    </message>
    <message>
        <source>Receipt purpose</source>
        <translation>收款用途</translation>
    </message>
    <message>
        <source>Database URL</source>
        <translation>数据库地址</translation>
    </message>
    <message>
        <source>Database password</source>
        <translation>数据库密码</translation>
    </message>
    <message>
        <source>Sales out-stock bill (SAL_OUTSTOCK)</source>
        <extracomment>The K3Cloud form whose audited bills mean an order shipped (profile ``k3_shipment_form``).</extracomment>
        <translation>销售出库单（SAL_OUTSTOCK）</translation>
    </message>
    <message>
        <source>Delivery notice (SAL_DELIVERYNOTICE)</source>
        <translation>发货通知单（SAL_DELIVERYNOTICE）</translation>
    </message>
    <message>
        <source>2052 Simplified Chinese</source>
        <extracomment>Receipt (AR_RECEIVEBILL) numbers the payments mapping reads from the profile; empty = the default shown. Form field -&gt; keyring key of the secret it holds.</extracomment>
        <translation>2052 简体中文</translation>
    </message>
    <message>
        <source>1033 English</source>
        <translation>1033 英文</translation>
    </message>
    <message>
        <source>3076 Traditional Chinese</source>
        <translation>3076 繁体中文</translation>
    </message>
    <message>
        <source>User and password (ValidateUser)</source>
        <translation>用户名和密码（ValidateUser）</translation>
    </message>
    <message>
        <source>App ID and secret (LoginByAppSecret)</source>
        <translation>应用 ID 和密钥（LoginByAppSecret）</translation>
    </message>
    <message>
        <source>Signed headers (official SDK style)</source>
        <translation>签名请求头（官方 SDK 方式）</translation>
    </message>
</context>
<context>
    <name>ConnectionsPage</name>
    <message>
        <source>Connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Where your Fxiaoke and Kingdee K3Cloud are and how to log in. Passwords and secrets go to the system keyring, never to a file.</source>
        <translation>填写纷享销客和金蝶云星空的地址与登录信息。密码和密钥保存在系统密钥环中，绝不写入文件。</translation>
    </message>
    <message>
        <source>Welcome! Fill in how to reach Fxiaoke and K3Cloud below, then press &quot;Save and test&quot; at the bottom right: each check turns green or names the setting to fix. Just looking? Start the app with --demo to try it against simulated servers.</source>
        <translation>欢迎使用！请在下面填写纷享销客和金蝶云星空的连接信息，然后点击右下角的“保存并测试”：每项检查会变绿，或指出需要修改的设置。只想先看看？用 --demo 参数启动本程序，即可连接模拟服务器试用。</translation>
    </message>
    <message>
        <source>e.g. East China - production</source>
        <translation>例如：华东公司-正式</translation>
    </message>
    <message>
        <source>Secrets are stored in: {backend}</source>
        <translation>密钥保存在：{backend}</translation>
    </message>
    <message>
        <source>memory only (demo mode)</source>
        <translation>仅内存（演示模式）</translation>
    </message>
    <message>
        <source>Fxiaoke CRM (纷享销客)</source>
        <translation>纷享销客 CRM</translation>
    </message>
    <message>
        <source>openUserId</source>
        <translation>openUserId</translation>
    </message>
    <message>
        <source>Admin mobile</source>
        <translation>管理员手机号</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Kingdee K3Cloud (金蝶云星空)</source>
        <translation>金蝶云星空 K3Cloud</translation>
    </message>
    <message>
        <source>data center id</source>
        <translation>数据中心 ID</translation>
    </message>
    <message>
        <source>Fetch list</source>
        <translation>获取列表</translation>
    </message>
    <message>
        <source>Ask the server for its data centers (GetDataCenterList)</source>
        <translation>向服务器获取数据中心列表（GetDataCenterList）</translation>
    </message>
    <message>
        <source>only for a server with its own certificate</source>
        <translation>仅用于使用自签名证书的服务器</translation>
    </message>
    <message>
        <source>Choose a CA certificate file</source>
        <translation>选择 CA 证书文件</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Sync options</source>
        <translation>同步选项</translation>
    </message>
    <message>
        <source>The Kingdee bills whose audit means an order shipped; audited sales returns always lower what shipped</source>
        <translation>哪种金蝶单据审核后算作订单已发货；已审核的销售退货单总会冲减已发数量</translation>
    </message>
    <message>
        <source>New profile</source>
        <translation>新建配置</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save and test</source>
        <translation>保存并测试</translation>
    </message>
    <message>
        <source>Connection test</source>
        <translation>连接测试</translation>
    </message>
    <message>
        <source>Fxiaoke</source>
        <translation>纷享销客</translation>
    </message>
    <message>
        <source>K3Cloud</source>
        <translation>金蝶云星空</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>证书文件 (*.pem *.crt *.cer);;所有文件 (*)</translation>
    </message>
    <message>
        <source>stored — leave empty to keep</source>
        <translation>已保存——留空则不修改</translation>
    </message>
    <message>
        <source>not stored yet</source>
        <translation>尚未保存</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <source>All checks passed.</source>
        <translation>全部检查通过。</translation>
    </message>
    <message>
        <source>Some checks failed: see the red rows.</source>
        <translation>部分检查未通过，请看红色的行。</translation>
    </message>
    <message>
        <source>Both Fxiaoke and K3Cloud accept these settings.</source>
        <translation>纷享销客和金蝶云星空都接受这些设置。</translation>
    </message>
    <message>
        <source>Setting to fix: {field}</source>
        <translation>需要修改的设置：{field}</translation>
    </message>
    <message>
        <source>Delete profile</source>
        <translation>删除配置</translation>
    </message>
    <message>
        <source>Delete the profile &quot;{name}&quot;, its mappings, sync history and stored secrets? Documents already in K3Cloud are not touched.</source>
        <translation>删除配置“{name}”及其映射、同步记录和已保存的密钥吗？已经在金蝶中的单据不受影响。</translation>
    </message>
    <message>
        <source>Export profile (without secrets)</source>
        <translation>导出配置（不含密钥）</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>Import profile</source>
        <translation>导入配置</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>Something went wrong that FxK3 Sync did not expect. Your data is safe: unfinished sync items are checked against Kingdee before anything is sent again. Please copy the details below and send them to your implementer or support.</source>
        <translation>发生了 FxK3 Sync 没有预料到的错误。您的数据是安全的：未完成的同步项在重新发送前都会先到金蝶核对。请复制下面的详细信息，发给实施顾问或技术支持。</translation>
    </message>
    <message>
        <source>Log file: {path}</source>
        <translation>日志文件：{path}</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详细信息</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
</context>
<context>
    <name>DataStoreBox</name>
    <message>
        <source>Data store (数据存储)</source>
        <translation>数据存储</translation>
    </message>
    <message>
        <source>This PC (a file in the home folder)</source>
        <translation>本机（数据文件夹里的文件）</translation>
    </message>
    <message>
        <source>Company database (PostgreSQL, shared by several PCs)</source>
        <translation>公司数据库（PostgreSQL，多台电脑共用）</translation>
    </message>
    <message>
        <source>postgresql://user@server:5432/fxk3sync (no password here)</source>
        <translation>postgresql://用户名@服务器:5432/fxk3sync（这里不要写密码）</translation>
    </message>
    <message>
        <source>stored in the system keyring; type to replace</source>
        <translation>已保存在系统密钥环中；输入新密码可替换</translation>
    </message>
    <message>
        <source>kept only in the system keyring</source>
        <translation>只保存在系统密钥环中</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Save data store</source>
        <translation>保存数据存储</translation>
    </message>
    <message>
        <source>The demo always uses its own file</source>
        <translation>演示模式总是使用自己的数据文件</translation>
    </message>
    <message>
        <source>Now in use: {where}.</source>
        <translation>当前使用：{where}。</translation>
    </message>
    <message>
        <source>--db / FXK3SYNC_DB is set: that database is used whatever is chosen here.</source>
        <translation>已设置 --db / FXK3SYNC_DB：无论这里怎么选，都使用那个数据库。</translation>
    </message>
    <message>
        <source>A change takes effect the next time FxK3 Sync starts. Each PC keeps the password in its own keyring.</source>
        <translation>更改在下次启动 FxK3 Sync 时生效。每台电脑把密码保存在自己的系统密钥环中。</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <source>The data store works.</source>
        <translation>数据存储可以使用。</translation>
    </message>
    <message>
        <source>Saved. FxK3 Sync uses it from its next start.</source>
        <translation>已保存。FxK3 Sync 下次启动时开始使用。</translation>
    </message>
</context>
<context>
    <name>DeliveriesAction</name>
    <message>
        <source>Since</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <source>Unticked: bills audited since the last run (the first run looks 30 days back). Tick it to look from a date of your choice; bills already reported are never messaged twice.</source>
        <translation>不勾选：读取上次之后审核的单据（第一次回看 30 天）。勾选后从所选日期读起；已通知过的单据绝不会重复发消息。</translation>
    </message>
    <message>
        <source>Read the audited shipping bills (the profile&apos;s form: sales out-stock or delivery notice) and sales returns from Kingdee, mark each Fxiaoke order shipped or partly shipped and send its owner one message per bill</source>
        <translation>从金蝶读取已审核的发货单据（配置中选定的销售出库单或发货通知单）和销售退货单，把纷享销客订单标为已发货或部分发货，每张单据给负责人发一条消息</translation>
    </message>
    <message>
        <source>No new audited shipping bills or returns in Kingdee.</source>
        <translation>金蝶中没有新的已审核发货单据或退货单。</translation>
    </message>
    <message>
        <source>Deliveries from Kingdee: {updated} bills reported ({shipped} orders shipped, {partly} partly shipped), {sent} messages sent to their owners, {skipped} bills already reported or not from Fxiaoke, {failed} failed.</source>
        <translation>从金蝶回写发货：回写 {updated} 张单据（{shipped} 个订单已发货，{partly} 个部分发货），给负责人发送 {sent} 条消息，{skipped} 张单据已回写过或不是来自纷享销客的订单，{failed} 张失败。</translation>
    </message>
    <message>
        <source>Sync deliveries from Kingdee</source>
        <translation>从金蝶回写发货</translation>
    </message>
    <message>
        <source>Syncing deliveries from Kingdee…</source>
        <translation>正在从金蝶回写发货…</translation>
    </message>
    <message>
        <source>Tick &quot;Since&quot; and pick an earlier date to look further back.</source>
        <translation>如需查看更早的出库单，请勾选“起始日期”并选择更早的日期。</translation>
    </message>
    <message>
        <source>… and {n} more (History page).</source>
        <translation>……另有 {n} 张（见同步记录页）。</translation>
    </message>
    <message>
        <source>{reasons}
Fix the cause and run it again: the failed bills are read again, and no owner gets a message twice.</source>
        <translation>{reasons}
请处理原因后再运行一次：失败的出库单会重新读取，负责人不会收到重复消息。</translation>
    </message>
</context>
<context>
    <name>DemoBanner</name>
    <message>
        <source>Demo mode: connected to simulated Fxiaoke and K3Cloud servers on this computer. Passwords are kept in memory only and nothing is written to a real system.</source>
        <translation>演示模式：连接的是本机模拟的纷享销客和金蝶云星空服务器。密码只保存在内存中，不会写入任何真实系统。</translation>
    </message>
</context>
<context>
    <name>DiffColumns</name>
    <message>
        <source>Field</source>
        <extracomment>One difference: {&quot;field&quot;, &quot;k3&quot;, &quot;new&quot;} (core.diffs); &quot;&quot; is an empty value.</extracomment>
        <translation>字段</translation>
    </message>
    <message>
        <source>In K3Cloud</source>
        <translation>金蝶中</translation>
    </message>
    <message>
        <source>From Fxiaoke</source>
        <translation>纷享销客（新值）</translation>
    </message>
</context>
<context>
    <name>DoctorColumns</name>
    <message>
        <source>Check</source>
        <translation>检查项</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Setting to fix</source>
        <translation>需修改的设置</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
</context>
<context>
    <name>DoctorSteps</name>
    <message>
        <source>Server reachable, TLS</source>
        <translation>服务器可达、TLS 证书</translation>
    </message>
    <message>
        <source>Access token (appId, appSecret, permanentCode)</source>
        <translation>访问令牌（appId、appSecret、永久授权码）</translation>
    </message>
    <message>
        <source>Operator (openUserId / admin mobile)</source>
        <translation>操作人（openUserId / 管理员手机号）</translation>
    </message>
    <message>
        <source>One-row query (permissions, API quota)</source>
        <translation>试查询一行（权限、接口配额）</translation>
    </message>
    <message>
        <source>Data center in GetDataCenterList</source>
        <translation>数据中心在列表中</translation>
    </message>
    <message>
        <source>Login (user, password or app secret, language)</source>
        <translation>登录（用户、密码或应用密钥、语言）</translation>
    </message>
    <message>
        <source>One-row customer query (permissions)</source>
        <translation>试查询一个客户（权限）</translation>
    </message>
    <message>
        <source>Organisation exists</source>
        <translation>组织存在</translation>
    </message>
    <message>
        <source>Database server reachable / data folder writable</source>
        <extracomment>The data store&apos;s check (side &quot;store&quot;, core/store/doctor.py).</extracomment>
        <translation>数据库服务器可连通 / 数据文件夹可写</translation>
    </message>
    <message>
        <source>Database login (user, password, database)</source>
        <translation>数据库登录（用户名、密码、数据库）</translation>
    </message>
    <message>
        <source>FxK3 Sync tables (schema version)</source>
        <translation>FxK3 Sync 的数据表（结构版本）</translation>
    </message>
    <message>
        <source>Sync lock (advisory lock)</source>
        <translation>同步锁（advisory lock）</translation>
    </message>
</context>
<context>
    <name>FixedValues</name>
    <message>
        <source>Setting</source>
        <translation>设置项</translation>
    </message>
    <message>
        <source>K3Cloud field</source>
        <translation>金蝶字段</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Bill type</source>
        <extracomment>What the fixed values of the shipped templates mean to an implementer.</extracomment>
        <translation>单据类型</translation>
    </message>
    <message>
        <source>Settlement currency</source>
        <translation>结算币别</translation>
    </message>
    <message>
        <source>Prices include tax</source>
        <translation>单价含税</translation>
    </message>
    <message>
        <source>Tax rate (%) of every line</source>
        <translation>每行税率（%）</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>国家</translation>
    </message>
    <message>
        <source>Trading currency</source>
        <translation>交易币别</translation>
    </message>
    <message>
        <source>Customer internal id (0: new)</source>
        <translation>客户内码（0：新建）</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>币别</translation>
    </message>
    <message>
        <source>(K3Cloud&apos;s own: the line&apos;s material)</source>
        <translation>（金蝶自动：取该行物料的税率）</translation>
    </message>
    <message>
        <source>Double-click to change; saved with the mapping</source>
        <translation>双击修改；随映射一起保存</translation>
    </message>
</context>
<context>
    <name>Flows</name>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Deliveries</source>
        <translation>发货</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>回款</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>产品</translation>
    </message>
</context>
<context>
    <name>HistoryColumns</name>
    <message>
        <source>Run</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Flow</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>PC</source>
        <translation>电脑</translation>
    </message>
    <message>
        <source>Changed: {changes}</source>
        <translation>已修改：{changes}</translation>
    </message>
    <message>
        <source>not sent</source>
        <translation>未发送</translation>
    </message>
    <message>
        <source>It stopped before anything was sent to K3Cloud: see the reason.</source>
        <translation>在发送到金蝶之前就已停止：请查看原因。</translation>
    </message>
    <message>
        <source>Document key</source>
        <translation>单据编号</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Kingdee No.</source>
        <translation>金蝶单号</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Fxiaoke ID</source>
        <translation>纷享 ID</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>Sync history</source>
        <translation>同步记录</translation>
    </message>
    <message>
        <source>Every run and what happened to each record. Failed records can be retried; documents saved but not yet submitted or audited can be finished.</source>
        <translation>每次同步及每条记录的结果。失败的记录可以重试；已保存但尚未提交或审核的单据可以继续完成。</translation>
    </message>
    <message>
        <source>Only failed and half-done items</source>
        <translation>只看失败和未完成的项</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Items of the selected run</source>
        <translation>所选批次的明细</translation>
    </message>
    <message>
        <source>Retry selected</source>
        <translation>重试所选</translation>
    </message>
    <message>
        <source>Show its API calls</source>
        <extracomment>The API calls of a run were loaded: (run id, ExchangeRecord list) for the log pane.</extracomment>
        <translation>查看它的接口调用</translation>
    </message>
    <message>
        <source>Sync the records of the selected failed items again; K3Cloud is asked first, so nothing is created twice</source>
        <translation>重新同步所选失败项的记录；会先向金蝶核对，不会重复创建</translation>
    </message>
    <message>
        <source>Finish (submit/audit)</source>
        <translation>完成（提交/审核）</translation>
    </message>
    <message>
        <source>Mark resolved</source>
        <translation>标记为已处理</translation>
    </message>
    <message>
        <source>API calls of the run</source>
        <translation>本次同步的接口调用</translation>
    </message>
    <message>
        <source>Show the selected run&apos;s requests and answers in the API log</source>
        <translation>在接口日志中显示所选同步的请求和应答</translation>
    </message>
    <message>
        <source>You fixed it by hand: stop offering this item for retry</source>
        <translation>已手工处理：不再提示重试此项</translation>
    </message>
    <message>
        <source>1 run</source>
        <translation>1 次运行</translation>
    </message>
    <message>
        <source>{n} runs</source>
        <translation>共 {n} 个批次</translation>
    </message>
    <message>
        <source>Items of run #{id}</source>
        <translation>批次 #{id} 的明细</translation>
    </message>
    <message>
        <source>{n} records processed, {f} failed.</source>
        <translation>已处理 {n} 条记录，失败 {f} 条。</translation>
    </message>
    <message>
        <source>Retrying {n} items…</source>
        <translation>正在重试 {n} 项…</translation>
    </message>
    <message>
        <source>Finishing {n} documents…</source>
        <translation>正在完成 {n} 张单据…</translation>
    </message>
    <message>
        <source>Mark {n} items as resolved by hand? They will no longer be offered for retry.</source>
        <translation>将 {n} 项标记为已手工处理吗？之后不再提示重试。</translation>
    </message>
    <message>
        <source>Updating {n} items…</source>
        <translation>正在更新 {n} 项…</translation>
    </message>
</context>
<context>
    <name>InboxColumns</name>
    <message>
        <source>Fxiaoke</source>
        <translation>纷享销客</translation>
    </message>
    <message>
        <source>K3Cloud</source>
        <translation>金蝶</translation>
    </message>
    <message>
        <source>Mapping</source>
        <translation>映射</translation>
    </message>
    <message>
        <source>This PC</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Where to fix</source>
        <translation>在哪里处理</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>处理方法</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Failed in {n} runs in a row.</source>
        <translation>已连续 {n} 次同步失败。</translation>
    </message>
    <message>
        <source>Last tried</source>
        <translation>最近一次</translation>
    </message>
    <message>
        <source>Fxiaoke ID</source>
        <translation>纷享 ID</translation>
    </message>
</context>
<context>
    <name>InboxPage</name>
    <message>
        <source>Needs attention</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Records that wait for a person, grouped by cause: fix the cause (in K3Cloud, in Fxiaoke or in the mapping), then press &quot;Retry these&quot;. Nothing is ever created twice.</source>
        <translation>需要人工处理的记录，按原因分组：先处理原因（在金蝶、纷享销客或映射中），再点“重试这些”。任何单据都不会重复创建。</translation>
    </message>
    <message>
        <source>Search cause, number, material…</source>
        <translation>搜索原因、编号、物料…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Mark resolved</source>
        <translation>标为已处理</translation>
    </message>
    <message>
        <source>You settled these by hand (or they need no sync): stop listing them</source>
        <translation>已手工处理（或无需同步）：不再列出</translation>
    </message>
    <message>
        <source>Send these records again now that the cause is fixed; K3Cloud is asked first, so nothing is created twice</source>
        <translation>原因已处理后再次发送这些记录；会先向金蝶核对，不会重复创建</translation>
    </message>
    <message>
        <source>Records of the selected cause</source>
        <translation>所选原因下的记录</translation>
    </message>
    <message>
        <source>Records waiting on this cause: {n}</source>
        <translation>等待这个原因处理的记录：{n} 条</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Nothing needs attention.</source>
        <translation>没有需要处理的记录。</translation>
    </message>
    <message>
        <source>1 record needs attention.</source>
        <translation>1 条记录待处理。</translation>
    </message>
    <message>
        <source>{n} records need attention ({g} causes).</source>
        <translation>{n} 条记录待处理（{g} 类原因）。</translation>
    </message>
    <message>
        <source>Retry these ({n})</source>
        <translation>重试这些 ({n})</translation>
    </message>
    <message>
        <source>Retrying {n} records…</source>
        <translation>正在重试 {n} 条记录…</translation>
    </message>
    <message>
        <source>Mark {n} records as resolved by hand? They leave this list and are not sent again by themselves.</source>
        <translation>把 {n} 条记录标为已手工处理？它们将不再列出，也不会自动再次发送。</translation>
    </message>
    <message>
        <source>{ok} records went through, {failed} still need attention.</source>
        <translation>{ok} 条已同步，{failed} 条仍待处理。</translation>
    </message>
</context>
<context>
    <name>ItemState</name>
    <message>
        <source>Pending</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Writing</source>
        <translation>写入中</translation>
    </message>
    <message>
        <source>Saved (not submitted)</source>
        <translation>已保存（未提交）</translation>
    </message>
    <message>
        <source>Submitted (not audited)</source>
        <translation>已提交（未审核）</translation>
    </message>
    <message>
        <source>Audited</source>
        <translation>已审核</translation>
    </message>
    <message>
        <source>Already in K3Cloud</source>
        <translation>金蝶中已存在</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Resolved by hand</source>
        <translation>已手工处理</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建日期</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>已更新</translation>
    </message>
    <message>
        <source>Deleted in K3Cloud (voided in Fxiaoke)</source>
        <translation>已在金蝶删除（纷享已作废）</translation>
    </message>
    <message>
        <source>Updated (saved, not submitted)</source>
        <extracomment>An update that reached a stage is shown as an update (its stage after it).</extracomment>
        <translation>已更新（已保存，未提交）</translation>
    </message>
    <message>
        <source>Updated (submitted, not audited)</source>
        <translation>已更新（已提交，未审核）</translation>
    </message>
    <message>
        <source>Updated (audited)</source>
        <translation>已更新（已审核）</translation>
    </message>
</context>
<context>
    <name>LineColumns</name>
    <message>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Material No.</source>
        <translation>物料编码</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit price (tax incl.)</source>
        <translation>含税单价</translation>
    </message>
    <message>
        <source>Subtotal</source>
        <translation>小计</translation>
    </message>
</context>
<context>
    <name>LogColumns</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Side</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>接口</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>错误码</translation>
    </message>
    <message>
        <source>Elapsed</source>
        <translation>耗时</translation>
    </message>
</context>
<context>
    <name>LogPane</name>
    <message>
        <source>API log</source>
        <translation>接口日志</translation>
    </message>
    <message>
        <source>Explanation</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>响应</translation>
    </message>
    <message>
        <source>All sides</source>
        <translation>全部系统</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>只看错误</translation>
    </message>
    <message>
        <source>Filter: endpoint, code, trace id…</source>
        <translation>筛选：接口、错误码、traceId…</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the selected exchanges as JSON</source>
        <translation>以 JSON 复制所选调用</translation>
    </message>
    <message>
        <source>Export evidence…</source>
        <translation>导出证据包…</translation>
    </message>
    <message>
        <source>Save the selected exchanges (redacted) as a zip file for a support ticket</source>
        <translation>把所选调用（已脱敏）保存为 zip 文件，用于提交工单</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Show all calls</source>
        <translation>显示全部调用</translation>
    </message>
    <message>
        <source>Showing the {n} API calls of run #{id} (from the exchange log).</source>
        <translation>正在显示同步 #{id} 的 {n} 次接口调用（来自接口记录）。</translation>
    </message>
    <message>
        <source>Run #{id} made no API call that was recorded (it stopped before it called either side).</source>
        <translation>同步 #{id} 没有记录到接口调用（它在调用任一方之前就停止了）。</translation>
    </message>
    <message>
        <source>{n} calls, 1 error</source>
        <translation>{n} 次调用，1 个错误</translation>
    </message>
    <message>
        <source>{n} calls, {e} errors</source>
        <translation>{n} 次调用，{e} 个错误</translation>
    </message>
    <message>
        <source>Select a call to see the request, the response and what its code means.</source>
        <translation>选择一次调用，查看请求、响应以及错误码的含义。</translation>
    </message>
    <message>
        <source>Side</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>接口</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>HTTP status</source>
        <translation>HTTP 状态</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>错误码</translation>
    </message>
    <message>
        <source>Elapsed</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>Trace id</source>
        <translation>traceId</translation>
    </message>
    <message>
        <source>What it means</source>
        <translation>含义</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>处理方法</translation>
    </message>
    <message>
        <source>Transport error</source>
        <translation>网络错误</translation>
    </message>
    <message>
        <source>The call succeeded.</source>
        <translation>调用成功。</translation>
    </message>
    <message>
        <source>Export evidence bundle</source>
        <translation>导出证据包</translation>
    </message>
    <message>
        <source>Zip files (*.zip)</source>
        <translation>Zip 文件 (*.zip)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>FxK3 Sync 纷享金蝶同步</source>
        <translation>纷享金蝶同步 FxK3 Sync</translation>
    </message>
    <message>
        <source> — Demo</source>
        <translation> — 演示</translation>
    </message>
    <message>
        <source>Profile:</source>
        <translation>配置：</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Mappings</source>
        <translation>映射</translation>
    </message>
    <message>
        <source>History</source>
        <translation>同步记录</translation>
    </message>
    <message>
        <source>The evidence bundle could not be saved to {path}: {reason}</source>
        <extracomment>Logical pixels of available height below which the first start is laid out for a small screen (log pane hidden, window maximised): 1366 x 768 at 100 % leaves about 728, at 150 % 512; a 1600 x 1000 screen about 960.</extracomment>
        <translation>证据包无法保存到 {path}：{reason}</translation>
    </message>
    <message>
        <source>Choose a folder you may write to, e.g. Documents.</source>
        <translation>请选择有写入权限的文件夹，例如“文档”。</translation>
    </message>
    <message>
        <source>API log</source>
        <translation>接口日志</translation>
    </message>
    <message>
        <source>Fxiaoke</source>
        <translation>纷享销客</translation>
    </message>
    <message>
        <source>K3Cloud</source>
        <translation>金蝶云星空</translation>
    </message>
    <message>
        <source>Show or hide the API log (Ctrl+L)</source>
        <translation>显示或隐藏接口日志（Ctrl+L）</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>回款</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>About FxK3 Sync</source>
        <translation>关于纷享金蝶同步</translation>
    </message>
    <message>
        <source>Data folder: {path}</source>
        <translation>数据文件夹：{path}</translation>
    </message>
    <message>
        <source>Profile: {name}</source>
        <translation>当前配置：{name}</translation>
    </message>
    <message>
        <source>No profile yet: fill in Connections and save.</source>
        <translation>还没有配置：请在“连接”页填写并保存。</translation>
    </message>
    <message>
        <source>Fxiaoke API quota: OK</source>
        <translation>纷享接口配额：正常</translation>
    </message>
    <message>
        <source>Fxiaoke API quota: today&apos;s calls used up</source>
        <translation>纷享接口配额：今日调用次数已用完</translation>
    </message>
    <message>
        <source>Fxiaoke API quota: no OpenAPI package bought</source>
        <translation>纷享接口配额：未购买 OpenAPI 资源包</translation>
    </message>
    <message>
        <source>Fxiaoke API quota: calling too fast, slowing down</source>
        <translation>纷享接口配额：调用过快，正在降速</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>{page} ({n})</source>
        <translation>{page} ({n})</translation>
    </message>
    <message>
        <source>Evidence bundle saved: {path}</source>
        <translation>证据包已保存：{path}</translation>
    </message>
    <message>
        <source>Secrets were removed before anything was recorded.</source>
        <translation>所有密钥在记录前均已脱敏。</translation>
    </message>
    <message>
        <source>FxK3 Sync {version}
Syncs Fxiaoke CRM customers and orders to Kingdee K3Cloud, exactly once.
Data folder: {path}</source>
        <translation>纷享金蝶同步 {version}
把纷享销客的客户和订单同步到金蝶云星空，每条只同步一次。
数据文件夹：{path}</translation>
    </message>
    <message>
        <source>Quit while syncing?</source>
        <translation>同步尚未完成，要退出吗？</translation>
    </message>
    <message>
        <source>A sync is still running. Quit now? It stops after the current document; nothing is sent twice, and what is unfinished shows on the History page next time.</source>
        <translation>同步仍在进行。现在退出吗？将在当前单据处理完后停止；不会重复发送，未完成的项下次会显示在“同步记录”页。</translation>
    </message>
</context>
<context>
    <name>MappingColumns</name>
    <message>
        <source>K3Cloud field (target)</source>
        <translation>金蝶字段（目标）</translation>
    </message>
    <message>
        <source>Fxiaoke field (source)</source>
        <translation>纷享字段（来源）</translation>
    </message>
    <message>
        <source>Transform</source>
        <translation>转换</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认值</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>必填</translation>
    </message>
</context>
<context>
    <name>MappingPage</name>
    <message>
        <source>Arguments must be a JSON object, e.g. {&quot;scale&quot;: 2}.</source>
        <translation>参数必须是 JSON 对象，例如 {&quot;scale&quot;: 2}。</translation>
    </message>
</context>
<context>
    <name>MappingsPage</name>
    <message>
        <source>Mappings</source>
        <extracomment>Flows whose &quot;mapping&quot; is not a rules table: deliveries map shipment states onto an order field (ShipStatusEditor).</extracomment>
        <translation>映射</translation>
    </message>
    <message>
        <source>How a Fxiaoke record becomes a K3Cloud document. Rows are applied in order (K3Cloud computes totals from prices, so keep prices before totals).</source>
        <translation>纷享销客记录如何变成金蝶单据。各行按顺序写入（金蝶按单价计算金额，所以单价要排在金额前面）。</translation>
    </message>
    <message>
        <source>Load field lists</source>
        <translation>加载字段列表</translation>
    </message>
    <message>
        <source>Fill the pickers from Fxiaoke describe and K3Cloud QueryBusinessInfo</source>
        <translation>从纷享 describe 和金蝶 QueryBusinessInfo 读取可选字段</translation>
    </message>
    <message>
        <source>Flow</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>添加行</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Value map…</source>
        <translation>值映射…</translation>
    </message>
    <message>
        <source>Fxiaoke record _id</source>
        <translation>纷享记录 _id</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Pick a record and press Preview to see the exact JSON that would be sent (unsaved edits included).</source>
        <translation>选择一条记录并点“预览”，查看将要发送的完整 JSON（包括未保存的修改）。</translation>
    </message>
    <message>
        <source>Validate</source>
        <translation>校验</translation>
    </message>
    <message>
        <source>The mapping is valid.</source>
        <translation>映射校验通过。</translation>
    </message>
    <message>
        <source>Reset to default</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <source>Field rules</source>
        <translation>字段规则</translation>
    </message>
    <message>
        <source>Fixed values ({n})</source>
        <translation>固定值 ({n})</translation>
    </message>
    <message>
        <source>Values every document of this flow gets, whatever the Fxiaoke record says: e.g. the bill type, the currency, the tax rate (%). Double-click a value to change it, then Save.</source>
        <translation>本流程每张单据都使用的值，与纷享销客记录无关：例如单据类型、币别、税率（%）。双击值进行修改，然后保存。</translation>
    </message>
    <message>
        <source>Edit option value -&gt; K3Cloud value (transform &quot;map&quot;)</source>
        <translation>编辑选项值 → 金蝶值（“值映射”转换）</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Loading the mapping…</source>
        <translation>正在加载映射…</translation>
    </message>
    <message>
        <source>No profile yet: fill in the Connections page and save it first.</source>
        <translation>还没有配置：请先在“连接”页填写并保存。</translation>
    </message>
    <message>
        <source>default mapping</source>
        <translation>默认映射</translation>
    </message>
    <message>
        <source>saved version {v}</source>
        <translation>已保存的第 {v} 版</translation>
    </message>
    <message>
        <source>{version}, {n} rows</source>
        <translation>{version}，共 {n} 行</translation>
    </message>
    <message>
        <source> — unsaved changes</source>
        <translation>——有未保存的修改</translation>
    </message>
    <message>
        <source>K3Cloud shipping bills and returns → Fxiaoke SalesOrderObj</source>
        <translation>金蝶发货单据和退货单 → 纷享销客 SalesOrderObj</translation>
    </message>
    <message>
        <source>Fxiaoke {src} → K3Cloud {form}; key field {key}</source>
        <translation>纷享 {src} → 金蝶 {form}；唯一键字段 {key}</translation>
    </message>
    <message>
        <source>Mapping saved as version {v}.</source>
        <translation>映射已保存为第 {v} 版。</translation>
    </message>
    <message>
        <source>Reset mapping</source>
        <translation>恢复默认映射</translation>
    </message>
    <message>
        <source>Replace the {flow} mapping with the shipped default? The current one stays in the version history.</source>
        <translation>用系统默认映射替换“{flow}”映射吗？当前映射会保留在版本历史中。</translation>
    </message>
    <message>
        <source>Import mapping</source>
        <translation>导入映射</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>Export mapping</source>
        <translation>导出映射</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <source>Show exchange</source>
        <extracomment>A text, or a function that makes it in the current language (shown again after a language switch).</extracomment>
        <translation>查看接口记录</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Setting to fix: {field}</source>
        <translation>需要修改的设置：{field}</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <source>This is exactly what FxK3 Sync would send to K3Cloud (Save, field order kept). Nothing has been sent.</source>
        <translation>这就是 FxK3 Sync 将发送给金蝶的内容（Save 接口，字段顺序不变）。尚未发送任何数据。</translation>
    </message>
    <message>
        <source>Copy JSON</source>
        <translation>复制 JSON</translation>
    </message>
</context>
<context>
    <name>ProductColumns</name>
    <message>
        <source>Material No.</source>
        <translation>物料编码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Specification</source>
        <translation>规格型号</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Changed in K3Cloud</source>
        <translation>金蝶修改时间</translation>
    </message>
    <message>
        <source>Fxiaoke product</source>
        <translation>纷享销客产品</translation>
    </message>
</context>
<context>
    <name>ProductState</name>
    <message>
        <source>In Fxiaoke, up to date</source>
        <translation>已在纷享销客，无变化</translation>
    </message>
    <message>
        <source>In Fxiaoke, to update</source>
        <translation>已在纷享销客，待更新</translation>
    </message>
    <message>
        <source>Needs attention: {reason}</source>
        <translation>待处理：{reason}</translation>
    </message>
    <message>
        <source>Failed: {reason}</source>
        <translation>失败：{reason}</translation>
    </message>
    <message>
        <source>Not in Fxiaoke yet</source>
        <translation>纷享销客中还没有</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>To update</source>
        <translation>待更新</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>无变化</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
</context>
<context>
    <name>ProductsPage</name>
    <message>
        <source>Reading materials from Kingdee and products from Fxiaoke…</source>
        <translation>正在从金蝶读取物料、从纷享销客读取产品…</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>正在比对…</translation>
    </message>
    <message>
        <source>Writing products to Fxiaoke…</source>
        <translation>正在写入纷享销客产品…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Kingdee materials (BD_MATERIAL) and their Fxiaoke products (ProductObj), matched by product code. Kingdee is the master: a sync creates the missing products and updates the changed ones; nothing is deleted.</source>
        <translation>金蝶物料（BD_MATERIAL）及对应的纷享销客产品（ProductObj），按产品编码对应。以金蝶为准：同步会新建缺少的产品、更新有变化的产品，不删除任何产品。</translation>
    </message>
    <message>
        <source>Search material number, name, specification…</source>
        <translation>搜索物料编码、名称、规格…</translation>
    </message>
    <message>
        <source>Load from Kingdee</source>
        <translation>从金蝶加载</translation>
    </message>
    <message>
        <source>Sync changes to Fxiaoke</source>
        <translation>同步变化到纷享</translation>
    </message>
    <message>
        <source>Every material changed since the last sync (all of them the first time), plus the ones that failed before</source>
        <translation>上次同步以来有变化的全部物料（第一次为全部物料），以及之前失败的物料</translation>
    </message>
    <message>
        <source>Sync selected ({n})</source>
        <translation>同步所选 ({n})</translation>
    </message>
    <message>
        <source>No profile yet: fill in the Connections page and save it first.</source>
        <translation>还没有配置：请先在“连接”页填写并保存。</translation>
    </message>
    <message>
        <source>Press &quot;Load from Kingdee&quot; to see the materials and their Fxiaoke products.</source>
        <translation>点击“从金蝶加载”查看物料及对应的纷享销客产品。</translation>
    </message>
    <message>
        <source>{shown} of {total} shown, {n} selected</source>
        <translation>显示 {shown} / {total} 条，已选 {n} 条</translation>
    </message>
    <message>
        <source>Working out what to write…</source>
        <translation>正在计算需要写入的内容…</translation>
    </message>
    <message>
        <source>Every product in Fxiaoke is up to date: nothing to write.</source>
        <translation>纷享销客中的产品都已是最新，无需写入。</translation>
    </message>
    <message>
        <source>{n} materials need attention (see the Fxiaoke product column).</source>
        <translation>{n} 个物料待处理（见“纷享销客产品”列）。</translation>
    </message>
    <message>
        <source>{n} materials need attention first and are left out (see the Fxiaoke product column).</source>
        <translation>{n} 个物料需要先处理，本次不写入（见“纷享销客产品”列）。</translation>
    </message>
    <message>
        <source>Sync products to Fxiaoke</source>
        <translation>同步产品到纷享销客</translation>
    </message>
    <message>
        <source>Start now?</source>
        <translation>现在开始吗？</translation>
    </message>
    <message>
        <source>Products in Fxiaoke: {created} created, {updated} updated, {skipped} already up to date, {held} need attention, {failed} failed.</source>
        <translation>纷享销客产品：新建 {created} 个，更新 {updated} 个，{skipped} 个无变化，{held} 个待处理，{failed} 个失败。</translation>
    </message>
    <message>
        <source> Stopped: the next sync carries on from here.</source>
        <translation> 已停止：下次同步会从这里接着做。</translation>
    </message>
</context>
<context>
    <name>Progress</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>RecordColumns</name>
    <message>
        <source>Order No.</source>
        <translation>订单编号</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Order date</source>
        <translation>下单日期</translation>
    </message>
    <message>
        <source>Kingdee No.</source>
        <translation>金蝶单号</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>发货状态</translation>
    </message>
    <message>
        <source>Sync state</source>
        <translation>同步状态</translation>
    </message>
    <message>
        <source>Customer No.</source>
        <translation>客户编号</translation>
    </message>
    <message>
        <source>Customer name</source>
        <translation>客户名称</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建日期</translation>
    </message>
    <message>
        <source>Kingdee code</source>
        <translation>金蝶编码</translation>
    </message>
    <message>
        <source>Payment No.</source>
        <translation>回款编号</translation>
    </message>
    <message>
        <source>Payment date</source>
        <translation>回款日期</translation>
    </message>
    <message>
        <source>Kingdee receipt</source>
        <translation>金蝶收款单</translation>
    </message>
</context>
<context>
    <name>RecordsPage</name>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Fxiaoke customers and their state in Kingdee (BD_Customer).</source>
        <translation>纷享销客的客户及其在金蝶中的状态（客户 BD_Customer）。</translation>
    </message>
    <message>
        <source>Nothing loaded yet: choose the dates and press &quot;Load from Fxiaoke&quot;.</source>
        <translation>尚未加载：请选择日期，然后点击“从纷享加载”。</translation>
    </message>
    <message>
        <source>Lines of the selected order</source>
        <translation>所选订单的明细</translation>
    </message>
    <message>
        <source>Load from Fxiaoke</source>
        <translation>从纷享加载</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Fxiaoke sales orders and their state in Kingdee. Select orders and press &quot;Sync to Kingdee&quot;; each is created once, never twice.</source>
        <translation>纷享销客的销售订单及其在金蝶中的状态。选中订单后点击“同步到金蝶”；每张订单只会创建一次，绝不重复。</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>回款</translation>
    </message>
    <message>
        <source>Fxiaoke payments (回款) and their receipts in Kingdee (AR_RECEIVEBILL). A payment whose order is not in Kingdee yet waits until the order is synced; a missing customer is created first.</source>
        <translation>纷享销客的回款及其在金蝶中的收款单（AR_RECEIVEBILL）。订单还没同步到金蝶的回款会等订单同步后再创建；金蝶中没有的客户会先创建。</translation>
    </message>
    <message>
        <source>Search payment number, customer, order, Kingdee receipt…</source>
        <translation>搜索回款编号、客户、订单、金蝶收款单…</translation>
    </message>
    <message>
        <source>Search order number, customer, Kingdee bill number…</source>
        <translation>搜索订单编号、客户、金蝶单号…</translation>
    </message>
    <message>
        <source>Search customer number, name, phone, Kingdee code…</source>
        <translation>搜索客户编号、名称、电话、金蝶编码…</translation>
    </message>
    <message>
        <source>Dates are days in the time zone the mapping sends them in ({tz}), whatever this PC&apos;s clock says.</source>
        <translation>日期按映射发送时使用的时区（{tz}）计算，与本机时钟无关。</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Show the exact JSON that would be sent for the selected record</source>
        <translation>显示所选记录将要发送的完整 JSON</translation>
    </message>
    <message>
        <source>Simulate shipment</source>
        <translation>模拟发货</translation>
    </message>
    <message>
        <source>Demo only: ship (or return) some of the selected synced order in the simulated Kingdee, then sync the deliveries</source>
        <translation>仅演示模式：在模拟金蝶中为所选的已同步订单发货（或退货），然后回写发货</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>明细</translation>
    </message>
    <message>
        <source>Show or hide the lines of the selected order</source>
        <translation>显示或隐藏所选订单的明细</translation>
    </message>
    <message>
        <source>Sync to Kingdee ({n})</source>
        <translation>同步到金蝶 ({n})</translation>
    </message>
    <message>
        <source>No profile yet: fill in the Connections page and save it first.</source>
        <translation>还没有配置：请先在“连接”页填写并保存。</translation>
    </message>
    <message>
        <source>Held: these changes were not sent to K3Cloud (its document is audited); see the reason in the sync state</source>
        <translation>待处理：以下修改没有写入金蝶（金蝶单据已审核），原因见同步状态</translation>
    </message>
    <message>
        <source>Changes the last sync made in K3Cloud</source>
        <translation>上次同步在金蝶中所做的修改</translation>
    </message>
    <message>
        <source>{n} created</source>
        <translation>新建 {n} 条</translation>
    </message>
    <message>
        <source>{n} updated</source>
        <translation>更新 {n} 条</translation>
    </message>
    <message>
        <source>{n} already in K3Cloud</source>
        <translation>金蝶中已存在 {n} 条</translation>
    </message>
    <message>
        <source>{n} deleted in K3Cloud (voided in Fxiaoke)</source>
        <translation>{n} 条在金蝶中删除（纷享已作废）</translation>
    </message>
    <message>
        <source>{n} held for a person</source>
        <translation>{n} 条待人工处理</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source> {n} new customers were created in K3Cloud first.</source>
        <translation>另有 {n} 个新客户先在金蝶中创建。</translation>
    </message>
    <message>
        <source>Nothing was synced: no record needed it.</source>
        <translation>没有需要同步的记录。</translation>
    </message>
    <message>
        <source>Held: {reason}</source>
        <translation>待处理：{reason}</translation>
    </message>
    <message>
        <source>Synced 1 record: {parts}.</source>
        <translation>已同步 1 条记录：{parts}。</translation>
    </message>
    <message>
        <source>Synced {n} records: {parts}.</source>
        <translation>已同步 {n} 条记录：{parts}。</translation>
    </message>
    <message>
        <source>The record could not be synced: {reason}</source>
        <translation>该记录未能同步：{reason}</translation>
    </message>
    <message>
        <source>Fix the cause, then sync it again (select it and press &quot;Sync to Kingdee&quot;, or retry it on the History page).</source>
        <translation>请排除原因后再同步一次（选中它并点击“同步到金蝶”，或在“同步记录”页重试）。</translation>
    </message>
    <message>
        <source>None of the {n} records could be synced.</source>
        <translation>{n} 条记录均未能同步。</translation>
    </message>
    <message>
        <source>First failure: {reason} Fix the cause, then sync them again (History page).</source>
        <translation>第一条失败原因：{reason} 请排除原因后重新同步（在“同步记录”页）。</translation>
    </message>
    <message>
        <source>{ok} of {n} records synced ({parts}); {failed} failed.</source>
        <translation>{n} 条记录中已同步 {ok} 条（{parts}），失败 {failed} 条。</translation>
    </message>
    <message>
        <source>First failure: {reason} The records that went through are not affected; fix the cause and sync the failed ones again (History page).</source>
        <translation>第一条失败原因：{reason} 已同步的记录不受影响；请排除原因后，重新同步失败的记录（在“同步记录”页）。</translation>
    </message>
    <message>
        <source>{shown} of {total} shown, {n} selected</source>
        <translation>显示 {shown} / {total} 条，已选 {n} 条</translation>
    </message>
    <message>
        <source>Loading from Fxiaoke…</source>
        <translation>正在从纷享加载…</translation>
    </message>
    <message>
        <source>Loading from Fxiaoke… {n} records</source>
        <translation>正在从纷享加载… 已读取 {n} 条</translation>
    </message>
    <message>
        <source>Lines of order {number} — {customer}</source>
        <translation>订单 {number} 的明细 — {customer}</translation>
    </message>
    <message>
        <source>Preview: {number}</source>
        <translation>预览：{number}</translation>
    </message>
    <message>
        <source>Syncing {n} records to Kingdee…</source>
        <translation>正在把 {n} 条记录同步到金蝶…</translation>
    </message>
</context>
<context>
    <name>RunCounts</name>
    <message>
        <source>created {n}</source>
        <translation>新建 {n}</translation>
    </message>
    <message>
        <source>updated {n}</source>
        <translation>更新 {n}</translation>
    </message>
    <message>
        <source>voided {n}</source>
        <translation>作废 {n}</translation>
    </message>
    <message>
        <source>skipped {n}</source>
        <translation>跳过 {n}</translation>
    </message>
    <message>
        <source>held {n}</source>
        <translation>待处理 {n}</translation>
    </message>
    <message>
        <source>failed {n}</source>
        <translation>失败 {n}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
</context>
<context>
    <name>RunProgress</name>
    <message>
        <source>Reading records from Fxiaoke</source>
        <extracomment>What each phase of a run is called (the K3Cloud line).</extracomment>
        <translation>正在从纷享销客读取记录</translation>
    </message>
    <message>
        <source>Mapping fields</source>
        <translation>正在映射字段</translation>
    </message>
    <message>
        <source>Pre-flight: checking base data in K3Cloud</source>
        <translation>预检：正在金蝶中核对基础资料</translation>
    </message>
    <message>
        <source>Looking for documents already in K3Cloud</source>
        <translation>正在查找金蝶中已有的单据</translation>
    </message>
    <message>
        <source>Writing to K3Cloud</source>
        <translation>正在写入金蝶</translation>
    </message>
    <message>
        <source>Submitting and auditing in K3Cloud</source>
        <translation>正在金蝶中提交和审核</translation>
    </message>
    <message>
        <source>Writing K3Cloud numbers back to Fxiaoke</source>
        <translation>正在把金蝶单号回写到纷享销客</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>less than 10 s left</source>
        <extracomment>Seconds of work and records settled before a time-left estimate means anything.</extracomment>
        <translation>剩余不到 10 秒</translation>
    </message>
    <message>
        <source>about {n} s left</source>
        <translation>约剩 {n} 秒</translation>
    </message>
    <message>
        <source>about {n} min left</source>
        <translation>约剩 {n} 分钟</translation>
    </message>
    <message>
        <source>{done} / {total} records</source>
        <translation>{done} / {total} 条</translation>
    </message>
    <message>
        <source>{done} records done</source>
        <translation>已处理 {done} 条</translation>
    </message>
    <message>
        <source> · </source>
        <translation> · </translation>
    </message>
    <message>
        <source>Waiting on Fxiaoke&apos;s limit of {calls} calls per {window} s (about {n} s)…</source>
        <translation>正在等待纷享销客限流（每 {window} 秒最多 {calls} 次调用，约 {n} 秒）…</translation>
    </message>
    <message>
        <source>Writing K3Cloud numbers back to Fxiaoke…</source>
        <translation>正在把金蝶单号回写到纷享销客…</translation>
    </message>
    <message>
        <source>Reading audited shipping bills and returns from Kingdee</source>
        <translation>正在从金蝶读取已审核的发货单据和退货单</translation>
    </message>
    <message>
        <source>Updating how far the Fxiaoke orders shipped and messaging their owners</source>
        <translation>正在更新纷享销客订单的发货进度并通知负责人</translation>
    </message>
    <message>
        <source>{done} shipping bills done</source>
        <translation>已处理 {done} 张发货单据</translation>
    </message>
</context>
<context>
    <name>RunStatus</name>
    <message>
        <source>Running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Some failed</source>
        <translation>部分失败</translation>
    </message>
    <message>
        <source>dry run</source>
        <translation>试运行</translation>
    </message>
</context>
<context>
    <name>ShipLineColumns</name>
    <message>
        <source>Line</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Material</source>
        <translation>物料</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Ordered</source>
        <translation>订货数量</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>已发数量</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>本次数量</translation>
    </message>
</context>
<context>
    <name>ShipStatusEditor</name>
    <message>
        <source>When Kingdee audits a shipping bill or a sales return, the deliveries sync writes how far the Fxiaoke order shipped into this order field. Pick a single-choice field of the sales order and which of its options means each state (they come from Fxiaoke, so they match your tenant).</source>
        <translation>金蝶审核发货单据或销售退货单后，回写发货会把纷享销客订单的发货进度写入这个订单字段。请选择销售订单上的一个单选字段，以及它的哪个选项代表各个状态（选项取自纷享销客，与贵公司的设置一致）。</translation>
    </message>
    <message>
        <source>Order field</source>
        <translation>订单字段</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>已发货</translation>
    </message>
    <message>
        <source>Partly shipped</source>
        <translation>部分发货</translation>
    </message>
    <message>
        <source>Not shipped</source>
        <translation>未发货</translation>
    </message>
    <message>
        <source>Load from Fxiaoke</source>
        <translation>从纷享加载</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>No profile yet: fill in the Connections page and save it first.</source>
        <translation>还没有配置：请先在“连接”页填写并保存。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>有未保存的修改</translation>
    </message>
    <message>
        <source>Saved: field {field}</source>
        <translation>已保存：字段 {field}</translation>
    </message>
    <message>
        <source>{field} (not in Fxiaoke)</source>
        <translation>{field}（纷享销客中没有此字段）</translation>
    </message>
    <message>
        <source>Shipment states saved as version {v}: the next deliveries sync writes them into {field}.</source>
        <translation>发货状态已保存为版本 {v}：下次回写发货会写入 {field}。</translation>
    </message>
</context>
<context>
    <name>Sides</name>
    <message>
        <source>Fxiaoke</source>
        <translation>纷享销客</translation>
    </message>
    <message>
        <source>K3Cloud</source>
        <translation>金蝶云星空</translation>
    </message>
</context>
<context>
    <name>SimulateShipment</name>
    <message>
        <source>Simulate shipment: {order}</source>
        <translation>模拟发货：{order}</translation>
    </message>
    <message>
        <source>Demo only. Records an audited {form} (or a sales return) in the simulated Kingdee for order {number}, as a warehouse clerk would, then syncs the deliveries: the Fxiaoke order&apos;s shipment state changes and its owner gets a message. Enter the quantity of each line.</source>
        <translation>仅演示模式。像仓库人员一样，在模拟金蝶中为订单 {number} 录入一张已审核的{form}（或销售退货单），然后回写发货：纷享销客订单的发货状态随之变化，负责人收到一条消息。请填写每行的数量。</translation>
    </message>
    <message>
        <source>Ship these quantities</source>
        <translation>按这些数量发货</translation>
    </message>
    <message>
        <source>Return these quantities</source>
        <translation>按这些数量退货</translation>
    </message>
    <message>
        <source>Reading the order&apos;s lines from Kingdee…</source>
        <translation>正在从金蝶读取订单明细…</translation>
    </message>
    <message>
        <source>Recording it in the simulated Kingdee…</source>
        <translation>正在模拟金蝶中录入…</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>not checked</source>
        <translation>未检查</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>检查中…</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>连接失败</translation>
    </message>
    <message>
        <source>calls refused</source>
        <translation>调用被拒</translation>
    </message>
</context>
<context>
    <name>SyncState</name>
    <message>
        <source>audited</source>
        <extracomment>Dates are shown in the zone the mapping&apos;s date rule sends them in (its default, core.mapping.transforms._date), never the PC&apos;s: an order shown as 2026-12-01 must not be sent to K3Cloud as FDate 2026-12-02. The Fxiaoke field the date column shows, per kind.</extracomment>
        <translation>已审核</translation>
    </message>
    <message>
        <source>submitted</source>
        <translation>已提交</translation>
    </message>
    <message>
        <source>saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>Synced</source>
        <translation>已同步</translation>
    </message>
    <message>
        <source>amounts differ from Fxiaoke</source>
        <translation>金额与纷享销客不一致</translation>
    </message>
    <message>
        <source>Saved, not audited</source>
        <translation>已保存，未审核</translation>
    </message>
    <message>
        <source>Failed: {reason}</source>
        <translation>失败：{reason}</translation>
    </message>
    <message>
        <source>Needs attention: {reason}</source>
        <translation>待处理：{reason}</translation>
    </message>
    <message>
        <source>Changed since last sync</source>
        <translation>同步后有修改</translation>
    </message>
    <message>
        <source>Not synced</source>
        <translation>未同步</translation>
    </message>
    <message>
        <source>Not shipped</source>
        <translation>待发货</translation>
    </message>
    <message>
        <source>Partly shipped</source>
        <translation>部分发货</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>已发货</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>已收货</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Synced (with K3 number)</source>
        <translation>已同步（有金蝶单号）</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Changed (edited in Fxiaoke since its last sync)</source>
        <translation>有变化（上次同步后在纷享销客中修改过）</translation>
    </message>
    <message>
        <source>Needs attention (held)</source>
        <translation>待处理</translation>
    </message>
</context>
<context>
    <name>Transforms</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Constant</source>
        <translation>常量</translation>
    </message>
    <message>
        <source>Value map</source>
        <translation>值映射</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>Concatenate</source>
        <translation>拼接</translation>
    </message>
    <message>
        <source>Lookup</source>
        <translation>查找引用</translation>
    </message>
    <message>
        <source>Profile setting</source>
        <translation>配置项</translation>
    </message>
</context>
<context>
    <name>ValueMap</name>
    <message>
        <source>Fxiaoke option value</source>
        <translation>纷享选项值</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>显示名</translation>
    </message>
    <message>
        <source>K3Cloud value</source>
        <translation>金蝶值</translation>
    </message>
    <message>
        <source>Value map: {field}</source>
        <translation>值映射：{field}</translation>
    </message>
    <message>
        <source>Fxiaoke stores option ids, not labels. Give the K3Cloud value (usually a number such as a base-data FNumber) for each option used.</source>
        <translation>纷享保存的是选项 ID 而不是显示名。请为每个用到的选项填写对应的金蝶值（通常是基础资料编码 FNumber）。</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>添加行</translation>
    </message>
    <message>
        <source>Remove row</source>
        <translation>删除行</translation>
    </message>
    <message>
        <source>Fail the record when a value is not in the map</source>
        <translation>值不在映射表中时，该记录同步失败</translation>
    </message>
</context>
</TS>
