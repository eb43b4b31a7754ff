<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ConnectionFields</name>
    <message>
        <source>Profile name</source>
        <translation>Profile name</translation>
    </message>
    <message>
        <source>Gateway URL</source>
        <translation>Gateway URL</translation>
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
        <translation>Permanent code</translation>
    </message>
    <message>
        <source>Operator openUserId</source>
        <translation>Operator openUserId</translation>
    </message>
    <message>
        <source>Admin mobile</source>
        <translation>Admin mobile</translation>
    </message>
    <message>
        <source>Site URL</source>
        <translation>Site URL</translation>
    </message>
    <message>
        <source>Data center</source>
        <translation>Data center</translation>
    </message>
    <message>
        <source>Login mode</source>
        <translation>Login mode</translation>
    </message>
    <message>
        <source>User</source>
        <translation>User</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>App ID</source>
        <translation>App ID</translation>
    </message>
    <message>
        <source>App secret</source>
        <translation>App secret</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Organisation No.</source>
        <translation>Organisation No.</translation>
    </message>
    <message>
        <source>CA bundle</source>
        <translation>CA bundle</translation>
    </message>
    <message>
        <source>Connect timeout</source>
        <translation>Connect timeout</translation>
    </message>
    <message>
        <source>Read timeout</source>
        <translation>Read timeout</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Batch size</translation>
    </message>
    <message>
        <source>Submit after saving</source>
        <translation>Submit after saving</translation>
    </message>
    <message>
        <source>Audit after submitting</source>
        <translation>Audit after submitting</translation>
    </message>
    <message>
        <source>Write the K3 number back to Fxiaoke</source>
        <translation>Write the K3 number back to Fxiaoke</translation>
    </message>
    <message>
        <source>Shipped means</source>
        <translation>Shipped means</translation>
    </message>
    <message>
        <source>Receipt bill type</source>
        <translation>Receipt bill type</translation>
    </message>
    <message>
        <source>Receipt settlement type</source>
        <translation>Receipt settlement type</translation>
    </message>
    <message>
        <source>Receipt purpose</source>
        <translation>Receipt purpose</translation>
    </message>
    <message>
        <source>Database URL</source>
        <translation>Database URL</translation>
    </message>
    <message>
        <source>Database password</source>
        <translation>Database password</translation>
    </message>
    <message>
        <source>Sales out-stock bill (SAL_OUTSTOCK)</source>
        <extracomment>The K3Cloud form whose audited bills mean an order shipped (profile ``k3_shipment_form``).</extracomment>
        <translation>Sales out-stock bill (SAL_OUTSTOCK)</translation>
    </message>
    <message>
        <source>Delivery notice (SAL_DELIVERYNOTICE)</source>
        <translation>Delivery notice (SAL_DELIVERYNOTICE)</translation>
    </message>
    <message>
        <source>2052 Simplified Chinese</source>
        <extracomment>Receipt (AR_RECEIVEBILL) numbers the payments mapping reads from the profile; empty = the default shown. Form field -&gt; keyring key of the secret it holds.</extracomment>
        <translation>2052 Simplified Chinese</translation>
    </message>
    <message>
        <source>1033 English</source>
        <translation>1033 English</translation>
    </message>
    <message>
        <source>3076 Traditional Chinese</source>
        <translation>3076 Traditional Chinese</translation>
    </message>
    <message>
        <source>User and password (ValidateUser)</source>
        <translation>User and password (ValidateUser)</translation>
    </message>
    <message>
        <source>App ID and secret (LoginByAppSecret)</source>
        <translation>App ID and secret (LoginByAppSecret)</translation>
    </message>
    <message>
        <source>Signed headers (official SDK style)</source>
        <translation>Signed headers (official SDK style)</translation>
    </message>
</context>
<context>
    <name>ConnectionsPage</name>
    <message>
        <source>Connections</source>
        <translation>Connections</translation>
    </message>
    <message>
        <source>Where your Fxiaoke and Kingdee K3Cloud are and how to log in. Passwords and secrets go to the system keyring, never to a file.</source>
        <translation>Where your Fxiaoke and Kingdee K3Cloud are and how to log in. Passwords and secrets go to the system keyring, never to a file.</translation>
    </message>
    <message>
        <source>Welcome! Fill in how to reach Fxiaoke and K3Cloud below, then press &quot;Save and test&quot; at the bottom right: each check turns green or names the setting to fix. Just looking? Start the app with --demo to try it against simulated servers.</source>
        <translation>Welcome! Fill in how to reach Fxiaoke and K3Cloud below, then press &quot;Save and test&quot; at the bottom right: each check turns green or names the setting to fix. Just looking? Start the app with --demo to try it against simulated servers.</translation>
    </message>
    <message>
        <source>e.g. East China - production</source>
        <translation>e.g. East China - production</translation>
    </message>
    <message>
        <source>Secrets are stored in: {backend}</source>
        <translation>Secrets are stored in: {backend}</translation>
    </message>
    <message>
        <source>memory only (demo mode)</source>
        <translation>memory only (demo mode)</translation>
    </message>
    <message>
        <source>Fxiaoke CRM (纷享销客)</source>
        <translation>Fxiaoke CRM (纷享销客)</translation>
    </message>
    <message>
        <source>openUserId</source>
        <translation>openUserId</translation>
    </message>
    <message>
        <source>Admin mobile</source>
        <translation>Admin mobile</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Kingdee K3Cloud (金蝶云星空)</source>
        <translation>Kingdee K3Cloud (金蝶云星空)</translation>
    </message>
    <message>
        <source>data center id</source>
        <translation>data center id</translation>
    </message>
    <message>
        <source>Fetch list</source>
        <translation>Fetch list</translation>
    </message>
    <message>
        <source>Ask the server for its data centers (GetDataCenterList)</source>
        <translation>Ask the server for its data centers (GetDataCenterList)</translation>
    </message>
    <message>
        <source>only for a server with its own certificate</source>
        <translation>only for a server with its own certificate</translation>
    </message>
    <message>
        <source>Choose a CA certificate file</source>
        <translation>Choose a CA certificate file</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Sync options</source>
        <translation>Sync options</translation>
    </message>
    <message>
        <source>The Kingdee bills whose audit means an order shipped; audited sales returns always lower what shipped</source>
        <translation>The Kingdee bills whose audit means an order shipped; audited sales returns always lower what shipped</translation>
    </message>
    <message>
        <source>New profile</source>
        <translation>New profile</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Import…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Save and test</source>
        <translation>Save and test</translation>
    </message>
    <message>
        <source>Connection test</source>
        <translation>Connection test</translation>
    </message>
    <message>
        <source>Fxiaoke</source>
        <translation>Fxiaoke</translation>
    </message>
    <message>
        <source>K3Cloud</source>
        <translation>K3Cloud</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>Certificates (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
    <message>
        <source>stored — leave empty to keep</source>
        <translation>stored — leave empty to keep</translation>
    </message>
    <message>
        <source>not stored yet</source>
        <translation>not stored yet</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Testing…</translation>
    </message>
    <message>
        <source>All checks passed.</source>
        <translation>All checks passed.</translation>
    </message>
    <message>
        <source>Some checks failed: see the red rows.</source>
        <translation>Some checks failed: see the red rows.</translation>
    </message>
    <message>
        <source>Both Fxiaoke and K3Cloud accept these settings.</source>
        <translation>Both Fxiaoke and K3Cloud accept these settings.</translation>
    </message>
    <message>
        <source>Setting to fix: {field}</source>
        <translation>Setting to fix: {field}</translation>
    </message>
    <message>
        <source>Delete profile</source>
        <translation>Delete profile</translation>
    </message>
    <message>
        <source>Delete the profile &quot;{name}&quot;, its mappings, sync history and stored secrets? Documents already in K3Cloud are not touched.</source>
        <translation>Delete the profile &quot;{name}&quot;, its mappings, sync history and stored secrets? Documents already in K3Cloud are not touched.</translation>
    </message>
    <message>
        <source>Export profile (without secrets)</source>
        <translation>Export profile (without secrets)</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON files (*.json)</translation>
    </message>
    <message>
        <source>Import profile</source>
        <translation>Import profile</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <source>Unexpected error</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <source>Something went wrong that FxK3 Sync did not expect. Your data is safe: unfinished sync items are checked against Kingdee before anything is sent again. Please copy the details below and send them to your implementer or support.</source>
        <translation>Something went wrong that FxK3 Sync did not expect. Your data is safe: unfinished sync items are checked against Kingdee before anything is sent again. Please copy the details below and send them to your implementer or support.</translation>
    </message>
    <message>
        <source>Log file: {path}</source>
        <translation>Log file: {path}</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>Copy details</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Open log folder</translation>
    </message>
</context>
<context>
    <name>DataStoreBox</name>
    <message>
        <source>Data store (数据存储)</source>
        <translation>Data store (数据存储)</translation>
    </message>
    <message>
        <source>This PC (a file in the home folder)</source>
        <translation>This PC (a file in the home folder)</translation>
    </message>
    <message>
        <source>Company database (PostgreSQL, shared by several PCs)</source>
        <translation>Company database (PostgreSQL, shared by several PCs)</translation>
    </message>
    <message>
        <source>postgresql://user@server:5432/fxk3sync (no password here)</source>
        <translation>postgresql://user@server:5432/fxk3sync (no password here)</translation>
    </message>
    <message>
        <source>stored in the system keyring; type to replace</source>
        <translation>stored in the system keyring; type to replace</translation>
    </message>
    <message>
        <source>kept only in the system keyring</source>
        <translation>kept only in the system keyring</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>Save data store</source>
        <translation>Save data store</translation>
    </message>
    <message>
        <source>The demo always uses its own file</source>
        <translation>The demo always uses its own file</translation>
    </message>
    <message>
        <source>Now in use: {where}.</source>
        <translation>Now in use: {where}.</translation>
    </message>
    <message>
        <source>--db / FXK3SYNC_DB is set: that database is used whatever is chosen here.</source>
        <translation>--db / FXK3SYNC_DB is set: that database is used whatever is chosen here.</translation>
    </message>
    <message>
        <source>A change takes effect the next time FxK3 Sync starts. Each PC keeps the password in its own keyring.</source>
        <translation>A change takes effect the next time FxK3 Sync starts. Each PC keeps the password in its own keyring.</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Testing…</translation>
    </message>
    <message>
        <source>The data store works.</source>
        <translation>The data store works.</translation>
    </message>
    <message>
        <source>Saved. FxK3 Sync uses it from its next start.</source>
        <translation>Saved. FxK3 Sync uses it from its next start.</translation>
    </message>
</context>
<context>
    <name>DeliveriesAction</name>
    <message>
        <source>Since</source>
        <translation>Since</translation>
    </message>
    <message>
        <source>Unticked: bills audited since the last run (the first run looks 30 days back). Tick it to look from a date of your choice; bills already reported are never messaged twice.</source>
        <translation>Unticked: bills audited since the last run (the first run looks 30 days back). Tick it to look from a date of your choice; bills already reported are never messaged twice.</translation>
    </message>
    <message>
        <source>Read the audited shipping bills (the profile&apos;s form: sales out-stock or delivery notice) and sales returns from Kingdee, mark each Fxiaoke order shipped or partly shipped and send its owner one message per bill</source>
        <translation>Read the audited shipping bills (the profile&apos;s form: sales out-stock or delivery notice) and sales returns from Kingdee, mark each Fxiaoke order shipped or partly shipped and send its owner one message per bill</translation>
    </message>
    <message>
        <source>No new audited shipping bills or returns in Kingdee.</source>
        <translation>No new audited shipping bills or returns in Kingdee.</translation>
    </message>
    <message>
        <source>Deliveries from Kingdee: {updated} bills reported ({shipped} orders shipped, {partly} partly shipped), {sent} messages sent to their owners, {skipped} bills already reported or not from Fxiaoke, {failed} failed.</source>
        <translation>Deliveries from Kingdee: {updated} bills reported ({shipped} orders shipped, {partly} partly shipped), {sent} messages sent to their owners, {skipped} bills already reported or not from Fxiaoke, {failed} failed.</translation>
    </message>
    <message>
        <source>Sync deliveries from Kingdee</source>
        <translation>Sync deliveries from Kingdee</translation>
    </message>
    <message>
        <source>Syncing deliveries from Kingdee…</source>
        <translation>Syncing deliveries from Kingdee…</translation>
    </message>
    <message>
        <source>Tick &quot;Since&quot; and pick an earlier date to look further back.</source>
        <translation>Tick &quot;Since&quot; and pick an earlier date to look further back.</translation>
    </message>
    <message>
        <source>… and {n} more (History page).</source>
        <translation>… and {n} more (History page).</translation>
    </message>
    <message>
        <source>{reasons}
Fix the cause and run it again: the failed bills are read again, and no owner gets a message twice.</source>
        <translation>{reasons}
Fix the cause and run it again: the failed bills are read again, and no owner gets a message twice.</translation>
    </message>
</context>
<context>
    <name>DemoBanner</name>
    <message>
        <source>Demo mode: connected to simulated Fxiaoke and K3Cloud servers on this computer. Passwords are kept in memory only and nothing is written to a real system.</source>
        <translation>Demo mode: connected to simulated Fxiaoke and K3Cloud servers on this computer. Passwords are kept in memory only and nothing is written to a real system.</translation>
    </message>
</context>
<context>
    <name>DiffColumns</name>
    <message>
        <source>Field</source>
        <extracomment>One difference: {&quot;field&quot;, &quot;k3&quot;, &quot;new&quot;} (core.diffs); &quot;&quot; is an empty value.</extracomment>
        <translation>Field</translation>
    </message>
    <message>
        <source>In K3Cloud</source>
        <translation>In K3Cloud</translation>
    </message>
    <message>
        <source>From Fxiaoke</source>
        <translation>From Fxiaoke</translation>
    </message>
</context>
<context>
    <name>DoctorColumns</name>
    <message>
        <source>Check</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>Setting to fix</source>
        <translation>Setting to fix</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
</context>
<context>
    <name>DoctorSteps</name>
    <message>
        <source>Server reachable, TLS</source>
        <translation>Server reachable, TLS</translation>
    </message>
    <message>
        <source>Access token (appId, appSecret, permanentCode)</source>
        <translation>Access token (appId, appSecret, permanentCode)</translation>
    </message>
    <message>
        <source>Operator (openUserId / admin mobile)</source>
        <translation>Operator (openUserId / admin mobile)</translation>
    </message>
    <message>
        <source>One-row query (permissions, API quota)</source>
        <translation>One-row query (permissions, API quota)</translation>
    </message>
    <message>
        <source>Data center in GetDataCenterList</source>
        <translation>Data center in GetDataCenterList</translation>
    </message>
    <message>
        <source>Login (user, password or app secret, language)</source>
        <translation>Login (user, password or app secret, language)</translation>
    </message>
    <message>
        <source>One-row customer query (permissions)</source>
        <translation>One-row customer query (permissions)</translation>
    </message>
    <message>
        <source>Organisation exists</source>
        <translation>Organisation exists</translation>
    </message>
    <message>
        <source>Database server reachable / data folder writable</source>
        <extracomment>The data store&apos;s check (side &quot;store&quot;, core/store/doctor.py).</extracomment>
        <translation>Database server reachable / data folder writable</translation>
    </message>
    <message>
        <source>Database login (user, password, database)</source>
        <translation>Database login (user, password, database)</translation>
    </message>
    <message>
        <source>FxK3 Sync tables (schema version)</source>
        <translation>FxK3 Sync tables (schema version)</translation>
    </message>
    <message>
        <source>Sync lock (advisory lock)</source>
        <translation>Sync lock (advisory lock)</translation>
    </message>
</context>
<context>
    <name>FixedValues</name>
    <message>
        <source>Setting</source>
        <translation>Setting</translation>
    </message>
    <message>
        <source>K3Cloud field</source>
        <translation>K3Cloud field</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Bill type</source>
        <extracomment>What the fixed values of the shipped templates mean to an implementer.</extracomment>
        <translation>Bill type</translation>
    </message>
    <message>
        <source>Settlement currency</source>
        <translation>Settlement currency</translation>
    </message>
    <message>
        <source>Prices include tax</source>
        <translation>Prices include tax</translation>
    </message>
    <message>
        <source>Tax rate (%) of every line</source>
        <translation>Tax rate (%) of every line</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Country</translation>
    </message>
    <message>
        <source>Trading currency</source>
        <translation>Trading currency</translation>
    </message>
    <message>
        <source>Customer internal id (0: new)</source>
        <translation>Customer internal id (0: new)</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Currency</translation>
    </message>
    <message>
        <source>(K3Cloud&apos;s own: the line&apos;s material)</source>
        <translation>(K3Cloud&apos;s own: the line&apos;s material)</translation>
    </message>
    <message>
        <source>Double-click to change; saved with the mapping</source>
        <translation>Double-click to change; saved with the mapping</translation>
    </message>
</context>
<context>
    <name>Flows</name>
    <message>
        <source>Customers</source>
        <translation>Customers</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Orders</translation>
    </message>
    <message>
        <source>Deliveries</source>
        <translation>Deliveries</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>Payments</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>Products</translation>
    </message>
</context>
<context>
    <name>HistoryColumns</name>
    <message>
        <source>Run</source>
        <translation>Run</translation>
    </message>
    <message>
        <source>Flow</source>
        <translation>Flow</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Started</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Finished</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>PC</source>
        <translation>PC</translation>
    </message>
    <message>
        <source>Changed: {changes}</source>
        <translation>Changed: {changes}</translation>
    </message>
    <message>
        <source>not sent</source>
        <translation>not sent</translation>
    </message>
    <message>
        <source>It stopped before anything was sent to K3Cloud: see the reason.</source>
        <translation>It stopped before anything was sent to K3Cloud: see the reason.</translation>
    </message>
    <message>
        <source>Document key</source>
        <translation>Document key</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Kingdee No.</source>
        <translation>Kingdee No.</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Fxiaoke ID</source>
        <translation>Fxiaoke ID</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>Sync history</source>
        <translation>Sync history</translation>
    </message>
    <message>
        <source>Every run and what happened to each record. Failed records can be retried; documents saved but not yet submitted or audited can be finished.</source>
        <translation>Every run and what happened to each record. Failed records can be retried; documents saved but not yet submitted or audited can be finished.</translation>
    </message>
    <message>
        <source>Only failed and half-done items</source>
        <translation>Only failed and half-done items</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Items of the selected run</source>
        <translation>Items of the selected run</translation>
    </message>
    <message>
        <source>Retry selected</source>
        <translation>Retry selected</translation>
    </message>
    <message>
        <source>Show its API calls</source>
        <extracomment>The API calls of a run were loaded: (run id, ExchangeRecord list) for the log pane.</extracomment>
        <translation>Show its API calls</translation>
    </message>
    <message>
        <source>Sync the records of the selected failed items again; K3Cloud is asked first, so nothing is created twice</source>
        <translation>Sync the records of the selected failed items again; K3Cloud is asked first, so nothing is created twice</translation>
    </message>
    <message>
        <source>Finish (submit/audit)</source>
        <translation>Finish (submit/audit)</translation>
    </message>
    <message>
        <source>Mark resolved</source>
        <translation>Mark resolved</translation>
    </message>
    <message>
        <source>API calls of the run</source>
        <translation>API calls of the run</translation>
    </message>
    <message>
        <source>Show the selected run&apos;s requests and answers in the API log</source>
        <translation>Show the selected run&apos;s requests and answers in the API log</translation>
    </message>
    <message>
        <source>You fixed it by hand: stop offering this item for retry</source>
        <translation>You fixed it by hand: stop offering this item for retry</translation>
    </message>
    <message>
        <source>1 run</source>
        <translation>1 run</translation>
    </message>
    <message>
        <source>{n} runs</source>
        <translation>{n} runs</translation>
    </message>
    <message>
        <source>Items of run #{id}</source>
        <translation>Items of run #{id}</translation>
    </message>
    <message>
        <source>{n} records processed, {f} failed.</source>
        <translation>{n} records processed, {f} failed.</translation>
    </message>
    <message>
        <source>Retrying {n} items…</source>
        <translation>Retrying {n} items…</translation>
    </message>
    <message>
        <source>Finishing {n} documents…</source>
        <translation>Finishing {n} documents…</translation>
    </message>
    <message>
        <source>Mark {n} items as resolved by hand? They will no longer be offered for retry.</source>
        <translation>Mark {n} items as resolved by hand? They will no longer be offered for retry.</translation>
    </message>
    <message>
        <source>Updating {n} items…</source>
        <translation>Updating {n} items…</translation>
    </message>
</context>
<context>
    <name>InboxColumns</name>
    <message>
        <source>Fxiaoke</source>
        <translation>Fxiaoke</translation>
    </message>
    <message>
        <source>K3Cloud</source>
        <translation>K3Cloud</translation>
    </message>
    <message>
        <source>Mapping</source>
        <translation>Mapping</translation>
    </message>
    <message>
        <source>This PC</source>
        <translation>This PC</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>Cause</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Records</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Where to fix</source>
        <translation>Where to fix</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>What to do</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Failed in {n} runs in a row.</source>
        <translation>Failed in {n} runs in a row.</translation>
    </message>
    <message>
        <source>Last tried</source>
        <translation>Last tried</translation>
    </message>
    <message>
        <source>Fxiaoke ID</source>
        <translation>Fxiaoke ID</translation>
    </message>
</context>
<context>
    <name>InboxPage</name>
    <message>
        <source>Needs attention</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>Records that wait for a person, grouped by cause: fix the cause (in K3Cloud, in Fxiaoke or in the mapping), then press &quot;Retry these&quot;. Nothing is ever created twice.</source>
        <translation>Records that wait for a person, grouped by cause: fix the cause (in K3Cloud, in Fxiaoke or in the mapping), then press &quot;Retry these&quot;. Nothing is ever created twice.</translation>
    </message>
    <message>
        <source>Search cause, number, material…</source>
        <translation>Search cause, number, material…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Mark resolved</source>
        <translation>Mark resolved</translation>
    </message>
    <message>
        <source>You settled these by hand (or they need no sync): stop listing them</source>
        <translation>You settled these by hand (or they need no sync): stop listing them</translation>
    </message>
    <message>
        <source>Send these records again now that the cause is fixed; K3Cloud is asked first, so nothing is created twice</source>
        <translation>Send these records again now that the cause is fixed; K3Cloud is asked first, so nothing is created twice</translation>
    </message>
    <message>
        <source>Records of the selected cause</source>
        <translation>Records of the selected cause</translation>
    </message>
    <message>
        <source>Records waiting on this cause: {n}</source>
        <translation>Records waiting on this cause: {n}</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>Nothing needs attention.</source>
        <translation>Nothing needs attention.</translation>
    </message>
    <message>
        <source>1 record needs attention.</source>
        <translation>1 record needs attention.</translation>
    </message>
    <message>
        <source>{n} records need attention ({g} causes).</source>
        <translation>{n} records need attention ({g} causes).</translation>
    </message>
    <message>
        <source>Retry these ({n})</source>
        <translation>Retry these ({n})</translation>
    </message>
    <message>
        <source>Retrying {n} records…</source>
        <translation>Retrying {n} records…</translation>
    </message>
    <message>
        <source>Mark {n} records as resolved by hand? They leave this list and are not sent again by themselves.</source>
        <translation>Mark {n} records as resolved by hand? They leave this list and are not sent again by themselves.</translation>
    </message>
    <message>
        <source>{ok} records went through, {failed} still need attention.</source>
        <translation>{ok} records went through, {failed} still need attention.</translation>
    </message>
</context>
<context>
    <name>ItemState</name>
    <message>
        <source>Pending</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>Writing</source>
        <translation>Writing</translation>
    </message>
    <message>
        <source>Saved (not submitted)</source>
        <translation>Saved (not submitted)</translation>
    </message>
    <message>
        <source>Submitted (not audited)</source>
        <translation>Submitted (not audited)</translation>
    </message>
    <message>
        <source>Audited</source>
        <translation>Audited</translation>
    </message>
    <message>
        <source>Already in K3Cloud</source>
        <translation>Already in K3Cloud</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Resolved by hand</source>
        <translation>Resolved by hand</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Updated</translation>
    </message>
    <message>
        <source>Deleted in K3Cloud (voided in Fxiaoke)</source>
        <translation>Deleted in K3Cloud (voided in Fxiaoke)</translation>
    </message>
    <message>
        <source>Updated (saved, not submitted)</source>
        <extracomment>An update that reached a stage is shown as an update (its stage after it).</extracomment>
        <translation>Updated (saved, not submitted)</translation>
    </message>
    <message>
        <source>Updated (submitted, not audited)</source>
        <translation>Updated (submitted, not audited)</translation>
    </message>
    <message>
        <source>Updated (audited)</source>
        <translation>Updated (audited)</translation>
    </message>
</context>
<context>
    <name>LineColumns</name>
    <message>
        <source>Product</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>Material No.</source>
        <translation>Material No.</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <source>Unit price (tax incl.)</source>
        <translation>Unit price (tax incl.)</translation>
    </message>
    <message>
        <source>Subtotal</source>
        <translation>Subtotal</translation>
    </message>
</context>
<context>
    <name>LogColumns</name>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Side</source>
        <translation>Side</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpoint</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Elapsed</source>
        <translation>Elapsed</translation>
    </message>
</context>
<context>
    <name>LogPane</name>
    <message>
        <source>API log</source>
        <translation>API log</translation>
    </message>
    <message>
        <source>Explanation</source>
        <translation>Explanation</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Request</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Response</translation>
    </message>
    <message>
        <source>All sides</source>
        <translation>All sides</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Errors only</translation>
    </message>
    <message>
        <source>Filter: endpoint, code, trace id…</source>
        <translation>Filter: endpoint, code, trace id…</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Copy the selected exchanges as JSON</source>
        <translation>Copy the selected exchanges as JSON</translation>
    </message>
    <message>
        <source>Export evidence…</source>
        <translation>Export evidence…</translation>
    </message>
    <message>
        <source>Save the selected exchanges (redacted) as a zip file for a support ticket</source>
        <translation>Save the selected exchanges (redacted) as a zip file for a support ticket</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>Show all calls</source>
        <translation>Show all calls</translation>
    </message>
    <message>
        <source>Showing the {n} API calls of run #{id} (from the exchange log).</source>
        <translation>Showing the {n} API calls of run #{id} (from the exchange log).</translation>
    </message>
    <message>
        <source>Run #{id} made no API call that was recorded (it stopped before it called either side).</source>
        <translation>Run #{id} made no API call that was recorded (it stopped before it called either side).</translation>
    </message>
    <message>
        <source>{n} calls, 1 error</source>
        <translation>{n} calls, 1 error</translation>
    </message>
    <message>
        <source>{n} calls, {e} errors</source>
        <translation>{n} calls, {e} errors</translation>
    </message>
    <message>
        <source>Select a call to see the request, the response and what its code means.</source>
        <translation>Select a call to see the request, the response and what its code means.</translation>
    </message>
    <message>
        <source>Side</source>
        <translation>Side</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpoint</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>HTTP status</source>
        <translation>HTTP status</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Elapsed</source>
        <translation>Elapsed</translation>
    </message>
    <message>
        <source>Trace id</source>
        <translation>Trace id</translation>
    </message>
    <message>
        <source>What it means</source>
        <translation>What it means</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>What to do</translation>
    </message>
    <message>
        <source>Transport error</source>
        <translation>Transport error</translation>
    </message>
    <message>
        <source>The call succeeded.</source>
        <translation>The call succeeded.</translation>
    </message>
    <message>
        <source>Export evidence bundle</source>
        <translation>Export evidence bundle</translation>
    </message>
    <message>
        <source>Zip files (*.zip)</source>
        <translation>Zip files (*.zip)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>FxK3 Sync 纷享金蝶同步</source>
        <translation>FxK3 Sync 纷享金蝶同步</translation>
    </message>
    <message>
        <source> — Demo</source>
        <translation> — Demo</translation>
    </message>
    <message>
        <source>Profile:</source>
        <translation>Profile:</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Connections</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Customers</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Orders</translation>
    </message>
    <message>
        <source>Mappings</source>
        <translation>Mappings</translation>
    </message>
    <message>
        <source>History</source>
        <translation>History</translation>
    </message>
    <message>
        <source>The evidence bundle could not be saved to {path}: {reason}</source>
        <extracomment>Logical pixels of available height below which the first start is laid out for a small screen (log pane hidden, window maximised): 1366 x 768 at 100 % leaves about 728, at 150 % 512; a 1600 x 1000 screen about 960.</extracomment>
        <translation>The evidence bundle could not be saved to {path}: {reason}</translation>
    </message>
    <message>
        <source>Choose a folder you may write to, e.g. Documents.</source>
        <translation>Choose a folder you may write to, e.g. Documents.</translation>
    </message>
    <message>
        <source>API log</source>
        <translation>API log</translation>
    </message>
    <message>
        <source>Fxiaoke</source>
        <translation>Fxiaoke</translation>
    </message>
    <message>
        <source>K3Cloud</source>
        <translation>K3Cloud</translation>
    </message>
    <message>
        <source>Show or hide the API log (Ctrl+L)</source>
        <translation>Show or hide the API log (Ctrl+L)</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>Payments</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>Products</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Settings</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>About FxK3 Sync</source>
        <translation>About FxK3 Sync</translation>
    </message>
    <message>
        <source>Data folder: {path}</source>
        <translation>Data folder: {path}</translation>
    </message>
    <message>
        <source>Profile: {name}</source>
        <translation>Profile: {name}</translation>
    </message>
    <message>
        <source>No profile yet: fill in Connections and save.</source>
        <translation>No profile yet: fill in Connections and save.</translation>
    </message>
    <message>
        <source>Fxiaoke API quota: OK</source>
        <translation>Fxiaoke API quota: OK</translation>
    </message>
    <message>
        <source>Fxiaoke API quota: today&apos;s calls used up</source>
        <translation>Fxiaoke API quota: today&apos;s calls used up</translation>
    </message>
    <message>
        <source>Fxiaoke API quota: no OpenAPI package bought</source>
        <translation>Fxiaoke API quota: no OpenAPI package bought</translation>
    </message>
    <message>
        <source>Fxiaoke API quota: calling too fast, slowing down</source>
        <translation>Fxiaoke API quota: calling too fast, slowing down</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>Inbox</translation>
    </message>
    <message>
        <source>{page} ({n})</source>
        <translation>{page} ({n})</translation>
    </message>
    <message>
        <source>Evidence bundle saved: {path}</source>
        <translation>Evidence bundle saved: {path}</translation>
    </message>
    <message>
        <source>Secrets were removed before anything was recorded.</source>
        <translation>Secrets were removed before anything was recorded.</translation>
    </message>
    <message>
        <source>FxK3 Sync {version}
Syncs Fxiaoke CRM customers and orders to Kingdee K3Cloud, exactly once.
Data folder: {path}</source>
        <translation>FxK3 Sync {version}
Syncs Fxiaoke CRM customers and orders to Kingdee K3Cloud, exactly once.
Data folder: {path}</translation>
    </message>
    <message>
        <source>Quit while syncing?</source>
        <translation>Quit while syncing?</translation>
    </message>
    <message>
        <source>A sync is still running. Quit now? It stops after the current document; nothing is sent twice, and what is unfinished shows on the History page next time.</source>
        <translation>A sync is still running. Quit now? It stops after the current document; nothing is sent twice, and what is unfinished shows on the History page next time.</translation>
    </message>
</context>
<context>
    <name>MappingColumns</name>
    <message>
        <source>K3Cloud field (target)</source>
        <translation>K3Cloud field (target)</translation>
    </message>
    <message>
        <source>Fxiaoke field (source)</source>
        <translation>Fxiaoke field (source)</translation>
    </message>
    <message>
        <source>Transform</source>
        <translation>Transform</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>Arguments</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Default</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>Required</translation>
    </message>
</context>
<context>
    <name>MappingPage</name>
    <message>
        <source>Arguments must be a JSON object, e.g. {&quot;scale&quot;: 2}.</source>
        <translation>Arguments must be a JSON object, e.g. {&quot;scale&quot;: 2}.</translation>
    </message>
</context>
<context>
    <name>MappingsPage</name>
    <message>
        <source>Mappings</source>
        <extracomment>Flows whose &quot;mapping&quot; is not a rules table: deliveries map shipment states onto an order field (ShipStatusEditor).</extracomment>
        <translation>Mappings</translation>
    </message>
    <message>
        <source>How a Fxiaoke record becomes a K3Cloud document. Rows are applied in order (K3Cloud computes totals from prices, so keep prices before totals).</source>
        <translation>How a Fxiaoke record becomes a K3Cloud document. Rows are applied in order (K3Cloud computes totals from prices, so keep prices before totals).</translation>
    </message>
    <message>
        <source>Load field lists</source>
        <translation>Load field lists</translation>
    </message>
    <message>
        <source>Fill the pickers from Fxiaoke describe and K3Cloud QueryBusinessInfo</source>
        <translation>Fill the pickers from Fxiaoke describe and K3Cloud QueryBusinessInfo</translation>
    </message>
    <message>
        <source>Flow</source>
        <translation>Flow</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>Add row</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Move up</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Move down</translation>
    </message>
    <message>
        <source>Value map…</source>
        <translation>Value map…</translation>
    </message>
    <message>
        <source>Fxiaoke record _id</source>
        <translation>Fxiaoke record _id</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>Pick a record and press Preview to see the exact JSON that would be sent (unsaved edits included).</source>
        <translation>Pick a record and press Preview to see the exact JSON that would be sent (unsaved edits included).</translation>
    </message>
    <message>
        <source>Validate</source>
        <translation>Validate</translation>
    </message>
    <message>
        <source>The mapping is valid.</source>
        <translation>The mapping is valid.</translation>
    </message>
    <message>
        <source>Reset to default</source>
        <translation>Reset to default</translation>
    </message>
    <message>
        <source>Field rules</source>
        <translation>Field rules</translation>
    </message>
    <message>
        <source>Fixed values ({n})</source>
        <translation>Fixed values ({n})</translation>
    </message>
    <message>
        <source>Values every document of this flow gets, whatever the Fxiaoke record says: e.g. the bill type, the currency, the tax rate (%). Double-click a value to change it, then Save.</source>
        <translation>Values every document of this flow gets, whatever the Fxiaoke record says: e.g. the bill type, the currency, the tax rate (%). Double-click a value to change it, then Save.</translation>
    </message>
    <message>
        <source>Edit option value -&gt; K3Cloud value (transform &quot;map&quot;)</source>
        <translation>Edit option value -&gt; K3Cloud value (transform &quot;map&quot;)</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Import…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Loading the mapping…</source>
        <translation>Loading the mapping…</translation>
    </message>
    <message>
        <source>No profile yet: fill in the Connections page and save it first.</source>
        <translation>No profile yet: fill in the Connections page and save it first.</translation>
    </message>
    <message>
        <source>default mapping</source>
        <translation>default mapping</translation>
    </message>
    <message>
        <source>saved version {v}</source>
        <translation>saved version {v}</translation>
    </message>
    <message>
        <source>{version}, {n} rows</source>
        <translation>{version}, {n} rows</translation>
    </message>
    <message>
        <source> — unsaved changes</source>
        <translation> — unsaved changes</translation>
    </message>
    <message>
        <source>K3Cloud shipping bills and returns → Fxiaoke SalesOrderObj</source>
        <translation>K3Cloud shipping bills and returns → Fxiaoke SalesOrderObj</translation>
    </message>
    <message>
        <source>Fxiaoke {src} → K3Cloud {form}; key field {key}</source>
        <translation>Fxiaoke {src} → K3Cloud {form}; key field {key}</translation>
    </message>
    <message>
        <source>Mapping saved as version {v}.</source>
        <translation>Mapping saved as version {v}.</translation>
    </message>
    <message>
        <source>Reset mapping</source>
        <translation>Reset mapping</translation>
    </message>
    <message>
        <source>Replace the {flow} mapping with the shipped default? The current one stays in the version history.</source>
        <translation>Replace the {flow} mapping with the shipped default? The current one stays in the version history.</translation>
    </message>
    <message>
        <source>Import mapping</source>
        <translation>Import mapping</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON files (*.json)</translation>
    </message>
    <message>
        <source>Export mapping</source>
        <translation>Export mapping</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <source>Show exchange</source>
        <extracomment>A text, or a function that makes it in the current language (shown again after a language switch).</extracomment>
        <translation>Show exchange</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Setting to fix: {field}</source>
        <translation>Setting to fix: {field}</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <source>This is exactly what FxK3 Sync would send to K3Cloud (Save, field order kept). Nothing has been sent.</source>
        <translation>This is exactly what FxK3 Sync would send to K3Cloud (Save, field order kept). Nothing has been sent.</translation>
    </message>
    <message>
        <source>Copy JSON</source>
        <translation>Copy JSON</translation>
    </message>
</context>
<context>
    <name>ProductColumns</name>
    <message>
        <source>Material No.</source>
        <translation>Material No.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Specification</source>
        <translation>Specification</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>Changed in K3Cloud</source>
        <translation>Changed in K3Cloud</translation>
    </message>
    <message>
        <source>Fxiaoke product</source>
        <translation>Fxiaoke product</translation>
    </message>
</context>
<context>
    <name>ProductState</name>
    <message>
        <source>In Fxiaoke, up to date</source>
        <translation>In Fxiaoke, up to date</translation>
    </message>
    <message>
        <source>In Fxiaoke, to update</source>
        <translation>In Fxiaoke, to update</translation>
    </message>
    <message>
        <source>Needs attention: {reason}</source>
        <translation>Needs attention: {reason}</translation>
    </message>
    <message>
        <source>Failed: {reason}</source>
        <translation>Failed: {reason}</translation>
    </message>
    <message>
        <source>Not in Fxiaoke yet</source>
        <translation>Not in Fxiaoke yet</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>All states</translation>
    </message>
    <message>
        <source>To update</source>
        <translation>To update</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>Up to date</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
</context>
<context>
    <name>ProductsPage</name>
    <message>
        <source>Reading materials from Kingdee and products from Fxiaoke…</source>
        <translation>Reading materials from Kingdee and products from Fxiaoke…</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>Comparing…</translation>
    </message>
    <message>
        <source>Writing products to Fxiaoke…</source>
        <translation>Writing products to Fxiaoke…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>Products</translation>
    </message>
    <message>
        <source>Kingdee materials (BD_MATERIAL) and their Fxiaoke products (ProductObj), matched by product code. Kingdee is the master: a sync creates the missing products and updates the changed ones; nothing is deleted.</source>
        <translation>Kingdee materials (BD_MATERIAL) and their Fxiaoke products (ProductObj), matched by product code. Kingdee is the master: a sync creates the missing products and updates the changed ones; nothing is deleted.</translation>
    </message>
    <message>
        <source>Search material number, name, specification…</source>
        <translation>Search material number, name, specification…</translation>
    </message>
    <message>
        <source>Load from Kingdee</source>
        <translation>Load from Kingdee</translation>
    </message>
    <message>
        <source>Sync changes to Fxiaoke</source>
        <translation>Sync changes to Fxiaoke</translation>
    </message>
    <message>
        <source>Every material changed since the last sync (all of them the first time), plus the ones that failed before</source>
        <translation>Every material changed since the last sync (all of them the first time), plus the ones that failed before</translation>
    </message>
    <message>
        <source>Sync selected ({n})</source>
        <translation>Sync selected ({n})</translation>
    </message>
    <message>
        <source>No profile yet: fill in the Connections page and save it first.</source>
        <translation>No profile yet: fill in the Connections page and save it first.</translation>
    </message>
    <message>
        <source>Press &quot;Load from Kingdee&quot; to see the materials and their Fxiaoke products.</source>
        <translation>Press &quot;Load from Kingdee&quot; to see the materials and their Fxiaoke products.</translation>
    </message>
    <message>
        <source>{shown} of {total} shown, {n} selected</source>
        <translation>{shown} of {total} shown, {n} selected</translation>
    </message>
    <message>
        <source>Working out what to write…</source>
        <translation>Working out what to write…</translation>
    </message>
    <message>
        <source>Every product in Fxiaoke is up to date: nothing to write.</source>
        <translation>Every product in Fxiaoke is up to date: nothing to write.</translation>
    </message>
    <message>
        <source>{n} materials need attention (see the Fxiaoke product column).</source>
        <translation>{n} materials need attention (see the Fxiaoke product column).</translation>
    </message>
    <message>
        <source>{n} materials need attention first and are left out (see the Fxiaoke product column).</source>
        <translation>{n} materials need attention first and are left out (see the Fxiaoke product column).</translation>
    </message>
    <message>
        <source>Sync products to Fxiaoke</source>
        <translation>Sync products to Fxiaoke</translation>
    </message>
    <message>
        <source>Start now?</source>
        <translation>Start now?</translation>
    </message>
    <message>
        <source>Products in Fxiaoke: {created} created, {updated} updated, {skipped} already up to date, {held} need attention, {failed} failed.</source>
        <translation>Products in Fxiaoke: {created} created, {updated} updated, {skipped} already up to date, {held} need attention, {failed} failed.</translation>
    </message>
    <message>
        <source> Stopped: the next sync carries on from here.</source>
        <translation> Stopped: the next sync carries on from here.</translation>
    </message>
</context>
<context>
    <name>Progress</name>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>RecordColumns</name>
    <message>
        <source>Order No.</source>
        <translation>Order No.</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>Order date</source>
        <translation>Order date</translation>
    </message>
    <message>
        <source>Kingdee No.</source>
        <translation>Kingdee No.</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Delivery</translation>
    </message>
    <message>
        <source>Sync state</source>
        <translation>Sync state</translation>
    </message>
    <message>
        <source>Customer No.</source>
        <translation>Customer No.</translation>
    </message>
    <message>
        <source>Customer name</source>
        <translation>Customer name</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>Kingdee code</source>
        <translation>Kingdee code</translation>
    </message>
    <message>
        <source>Payment No.</source>
        <translation>Payment No.</translation>
    </message>
    <message>
        <source>Payment date</source>
        <translation>Payment date</translation>
    </message>
    <message>
        <source>Kingdee receipt</source>
        <translation>Kingdee receipt</translation>
    </message>
</context>
<context>
    <name>RecordsPage</name>
    <message>
        <source>Orders</source>
        <translation>Orders</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Customers</translation>
    </message>
    <message>
        <source>Fxiaoke customers and their state in Kingdee (BD_Customer).</source>
        <translation>Fxiaoke customers and their state in Kingdee (BD_Customer).</translation>
    </message>
    <message>
        <source>Nothing loaded yet: choose the dates and press &quot;Load from Fxiaoke&quot;.</source>
        <translation>Nothing loaded yet: choose the dates and press &quot;Load from Fxiaoke&quot;.</translation>
    </message>
    <message>
        <source>Lines of the selected order</source>
        <translation>Lines of the selected order</translation>
    </message>
    <message>
        <source>Load from Fxiaoke</source>
        <translation>Load from Fxiaoke</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Fxiaoke sales orders and their state in Kingdee. Select orders and press &quot;Sync to Kingdee&quot;; each is created once, never twice.</source>
        <translation>Fxiaoke sales orders and their state in Kingdee. Select orders and press &quot;Sync to Kingdee&quot;; each is created once, never twice.</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>Payments</translation>
    </message>
    <message>
        <source>Fxiaoke payments (回款) and their receipts in Kingdee (AR_RECEIVEBILL). A payment whose order is not in Kingdee yet waits until the order is synced; a missing customer is created first.</source>
        <translation>Fxiaoke payments (回款) and their receipts in Kingdee (AR_RECEIVEBILL). A payment whose order is not in Kingdee yet waits until the order is synced; a missing customer is created first.</translation>
    </message>
    <message>
        <source>Search payment number, customer, order, Kingdee receipt…</source>
        <translation>Search payment number, customer, order, Kingdee receipt…</translation>
    </message>
    <message>
        <source>Search order number, customer, Kingdee bill number…</source>
        <translation>Search order number, customer, Kingdee bill number…</translation>
    </message>
    <message>
        <source>Search customer number, name, phone, Kingdee code…</source>
        <translation>Search customer number, name, phone, Kingdee code…</translation>
    </message>
    <message>
        <source>Dates are days in the time zone the mapping sends them in ({tz}), whatever this PC&apos;s clock says.</source>
        <translation>Dates are days in the time zone the mapping sends them in ({tz}), whatever this PC&apos;s clock says.</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>Show the exact JSON that would be sent for the selected record</source>
        <translation>Show the exact JSON that would be sent for the selected record</translation>
    </message>
    <message>
        <source>Simulate shipment</source>
        <translation>Simulate shipment</translation>
    </message>
    <message>
        <source>Demo only: ship (or return) some of the selected synced order in the simulated Kingdee, then sync the deliveries</source>
        <translation>Demo only: ship (or return) some of the selected synced order in the simulated Kingdee, then sync the deliveries</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>Lines</translation>
    </message>
    <message>
        <source>Show or hide the lines of the selected order</source>
        <translation>Show or hide the lines of the selected order</translation>
    </message>
    <message>
        <source>Sync to Kingdee ({n})</source>
        <translation>Sync to Kingdee ({n})</translation>
    </message>
    <message>
        <source>No profile yet: fill in the Connections page and save it first.</source>
        <translation>No profile yet: fill in the Connections page and save it first.</translation>
    </message>
    <message>
        <source>Held: these changes were not sent to K3Cloud (its document is audited); see the reason in the sync state</source>
        <translation>Held: these changes were not sent to K3Cloud (its document is audited); see the reason in the sync state</translation>
    </message>
    <message>
        <source>Changes the last sync made in K3Cloud</source>
        <translation>Changes the last sync made in K3Cloud</translation>
    </message>
    <message>
        <source>{n} created</source>
        <translation>{n} created</translation>
    </message>
    <message>
        <source>{n} updated</source>
        <translation>{n} updated</translation>
    </message>
    <message>
        <source>{n} already in K3Cloud</source>
        <translation>{n} already in K3Cloud</translation>
    </message>
    <message>
        <source>{n} deleted in K3Cloud (voided in Fxiaoke)</source>
        <translation>{n} deleted in K3Cloud (voided in Fxiaoke)</translation>
    </message>
    <message>
        <source>{n} held for a person</source>
        <translation>{n} held for a person</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source> {n} new customers were created in K3Cloud first.</source>
        <translation> {n} new customers were created in K3Cloud first.</translation>
    </message>
    <message>
        <source>Nothing was synced: no record needed it.</source>
        <translation>Nothing was synced: no record needed it.</translation>
    </message>
    <message>
        <source>Held: {reason}</source>
        <translation>Held: {reason}</translation>
    </message>
    <message>
        <source>Synced 1 record: {parts}.</source>
        <translation>Synced 1 record: {parts}.</translation>
    </message>
    <message>
        <source>Synced {n} records: {parts}.</source>
        <translation>Synced {n} records: {parts}.</translation>
    </message>
    <message>
        <source>The record could not be synced: {reason}</source>
        <translation>The record could not be synced: {reason}</translation>
    </message>
    <message>
        <source>Fix the cause, then sync it again (select it and press &quot;Sync to Kingdee&quot;, or retry it on the History page).</source>
        <translation>Fix the cause, then sync it again (select it and press &quot;Sync to Kingdee&quot;, or retry it on the History page).</translation>
    </message>
    <message>
        <source>None of the {n} records could be synced.</source>
        <translation>None of the {n} records could be synced.</translation>
    </message>
    <message>
        <source>First failure: {reason} Fix the cause, then sync them again (History page).</source>
        <translation>First failure: {reason} Fix the cause, then sync them again (History page).</translation>
    </message>
    <message>
        <source>{ok} of {n} records synced ({parts}); {failed} failed.</source>
        <translation>{ok} of {n} records synced ({parts}); {failed} failed.</translation>
    </message>
    <message>
        <source>First failure: {reason} The records that went through are not affected; fix the cause and sync the failed ones again (History page).</source>
        <translation>First failure: {reason} The records that went through are not affected; fix the cause and sync the failed ones again (History page).</translation>
    </message>
    <message>
        <source>{shown} of {total} shown, {n} selected</source>
        <translation>{shown} of {total} shown, {n} selected</translation>
    </message>
    <message>
        <source>Loading from Fxiaoke…</source>
        <translation>Loading from Fxiaoke…</translation>
    </message>
    <message>
        <source>Loading from Fxiaoke… {n} records</source>
        <translation>Loading from Fxiaoke… {n} records</translation>
    </message>
    <message>
        <source>Lines of order {number} — {customer}</source>
        <translation>Lines of order {number} — {customer}</translation>
    </message>
    <message>
        <source>Preview: {number}</source>
        <translation>Preview: {number}</translation>
    </message>
    <message>
        <source>Syncing {n} records to Kingdee…</source>
        <translation>Syncing {n} records to Kingdee…</translation>
    </message>
</context>
<context>
    <name>RunCounts</name>
    <message>
        <source>created {n}</source>
        <translation>created {n}</translation>
    </message>
    <message>
        <source>updated {n}</source>
        <translation>updated {n}</translation>
    </message>
    <message>
        <source>voided {n}</source>
        <translation>voided {n}</translation>
    </message>
    <message>
        <source>skipped {n}</source>
        <translation>skipped {n}</translation>
    </message>
    <message>
        <source>held {n}</source>
        <translation>held {n}</translation>
    </message>
    <message>
        <source>failed {n}</source>
        <translation>failed {n}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
</context>
<context>
    <name>RunProgress</name>
    <message>
        <source>Reading records from Fxiaoke</source>
        <extracomment>What each phase of a run is called (the K3Cloud line).</extracomment>
        <translation>Reading records from Fxiaoke</translation>
    </message>
    <message>
        <source>Mapping fields</source>
        <translation>Mapping fields</translation>
    </message>
    <message>
        <source>Pre-flight: checking base data in K3Cloud</source>
        <translation>Pre-flight: checking base data in K3Cloud</translation>
    </message>
    <message>
        <source>Looking for documents already in K3Cloud</source>
        <translation>Looking for documents already in K3Cloud</translation>
    </message>
    <message>
        <source>Writing to K3Cloud</source>
        <translation>Writing to K3Cloud</translation>
    </message>
    <message>
        <source>Submitting and auditing in K3Cloud</source>
        <translation>Submitting and auditing in K3Cloud</translation>
    </message>
    <message>
        <source>Writing K3Cloud numbers back to Fxiaoke</source>
        <translation>Writing K3Cloud numbers back to Fxiaoke</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>less than 10 s left</source>
        <extracomment>Seconds of work and records settled before a time-left estimate means anything.</extracomment>
        <translation>less than 10 s left</translation>
    </message>
    <message>
        <source>about {n} s left</source>
        <translation>about {n} s left</translation>
    </message>
    <message>
        <source>about {n} min left</source>
        <translation>about {n} min left</translation>
    </message>
    <message>
        <source>{done} / {total} records</source>
        <translation>{done} / {total} records</translation>
    </message>
    <message>
        <source>{done} records done</source>
        <translation>{done} records done</translation>
    </message>
    <message>
        <source> · </source>
        <translation> · </translation>
    </message>
    <message>
        <source>Waiting on Fxiaoke&apos;s limit of {calls} calls per {window} s (about {n} s)…</source>
        <translation>Waiting on Fxiaoke&apos;s limit of {calls} calls per {window} s (about {n} s)…</translation>
    </message>
    <message>
        <source>Writing K3Cloud numbers back to Fxiaoke…</source>
        <translation>Writing K3Cloud numbers back to Fxiaoke…</translation>
    </message>
    <message>
        <source>Reading audited shipping bills and returns from Kingdee</source>
        <translation>Reading audited shipping bills and returns from Kingdee</translation>
    </message>
    <message>
        <source>Updating how far the Fxiaoke orders shipped and messaging their owners</source>
        <translation>Updating how far the Fxiaoke orders shipped and messaging their owners</translation>
    </message>
    <message>
        <source>{done} shipping bills done</source>
        <translation>{done} shipping bills done</translation>
    </message>
</context>
<context>
    <name>RunStatus</name>
    <message>
        <source>Running</source>
        <translation>Running</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Some failed</source>
        <translation>Some failed</translation>
    </message>
    <message>
        <source>dry run</source>
        <translation>dry run</translation>
    </message>
</context>
<context>
    <name>ShipLineColumns</name>
    <message>
        <source>Line</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>Material</source>
        <translation>Material</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Ordered</source>
        <translation>Ordered</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>Shipped</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Quantity</translation>
    </message>
</context>
<context>
    <name>ShipStatusEditor</name>
    <message>
        <source>When Kingdee audits a shipping bill or a sales return, the deliveries sync writes how far the Fxiaoke order shipped into this order field. Pick a single-choice field of the sales order and which of its options means each state (they come from Fxiaoke, so they match your tenant).</source>
        <translation>When Kingdee audits a shipping bill or a sales return, the deliveries sync writes how far the Fxiaoke order shipped into this order field. Pick a single-choice field of the sales order and which of its options means each state (they come from Fxiaoke, so they match your tenant).</translation>
    </message>
    <message>
        <source>Order field</source>
        <translation>Order field</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>Shipped</translation>
    </message>
    <message>
        <source>Partly shipped</source>
        <translation>Partly shipped</translation>
    </message>
    <message>
        <source>Not shipped</source>
        <translation>Not shipped</translation>
    </message>
    <message>
        <source>Load from Fxiaoke</source>
        <translation>Load from Fxiaoke</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>No profile yet: fill in the Connections page and save it first.</source>
        <translation>No profile yet: fill in the Connections page and save it first.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>Saved: field {field}</source>
        <translation>Saved: field {field}</translation>
    </message>
    <message>
        <source>{field} (not in Fxiaoke)</source>
        <translation>{field} (not in Fxiaoke)</translation>
    </message>
    <message>
        <source>Shipment states saved as version {v}: the next deliveries sync writes them into {field}.</source>
        <translation>Shipment states saved as version {v}: the next deliveries sync writes them into {field}.</translation>
    </message>
</context>
<context>
    <name>Sides</name>
    <message>
        <source>Fxiaoke</source>
        <translation>Fxiaoke</translation>
    </message>
    <message>
        <source>K3Cloud</source>
        <translation>K3Cloud</translation>
    </message>
</context>
<context>
    <name>SimulateShipment</name>
    <message>
        <source>Simulate shipment: {order}</source>
        <translation>Simulate shipment: {order}</translation>
    </message>
    <message>
        <source>Demo only. Records an audited {form} (or a sales return) in the simulated Kingdee for order {number}, as a warehouse clerk would, then syncs the deliveries: the Fxiaoke order&apos;s shipment state changes and its owner gets a message. Enter the quantity of each line.</source>
        <translation>Demo only. Records an audited {form} (or a sales return) in the simulated Kingdee for order {number}, as a warehouse clerk would, then syncs the deliveries: the Fxiaoke order&apos;s shipment state changes and its owner gets a message. Enter the quantity of each line.</translation>
    </message>
    <message>
        <source>Ship these quantities</source>
        <translation>Ship these quantities</translation>
    </message>
    <message>
        <source>Return these quantities</source>
        <translation>Return these quantities</translation>
    </message>
    <message>
        <source>Reading the order&apos;s lines from Kingdee…</source>
        <translation>Reading the order&apos;s lines from Kingdee…</translation>
    </message>
    <message>
        <source>Recording it in the simulated Kingdee…</source>
        <translation>Recording it in the simulated Kingdee…</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>not checked</source>
        <translation>not checked</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>checking…</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>connected</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>calls refused</source>
        <translation>calls refused</translation>
    </message>
</context>
<context>
    <name>SyncState</name>
    <message>
        <source>audited</source>
        <extracomment>Dates are shown in the zone the mapping&apos;s date rule sends them in (its default, core.mapping.transforms._date), never the PC&apos;s: an order shown as 2026-12-01 must not be sent to K3Cloud as FDate 2026-12-02. The Fxiaoke field the date column shows, per kind.</extracomment>
        <translation>audited</translation>
    </message>
    <message>
        <source>submitted</source>
        <translation>submitted</translation>
    </message>
    <message>
        <source>saved</source>
        <translation>saved</translation>
    </message>
    <message>
        <source>Synced</source>
        <translation>Synced</translation>
    </message>
    <message>
        <source>amounts differ from Fxiaoke</source>
        <translation>amounts differ from Fxiaoke</translation>
    </message>
    <message>
        <source>Saved, not audited</source>
        <translation>Saved, not audited</translation>
    </message>
    <message>
        <source>Failed: {reason}</source>
        <translation>Failed: {reason}</translation>
    </message>
    <message>
        <source>Needs attention: {reason}</source>
        <translation>Needs attention: {reason}</translation>
    </message>
    <message>
        <source>Changed since last sync</source>
        <translation>Changed since last sync</translation>
    </message>
    <message>
        <source>Not synced</source>
        <translation>Not synced</translation>
    </message>
    <message>
        <source>Not shipped</source>
        <translation>Not shipped</translation>
    </message>
    <message>
        <source>Partly shipped</source>
        <translation>Partly shipped</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>Shipped</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>All states</translation>
    </message>
    <message>
        <source>Synced (with K3 number)</source>
        <translation>Synced (with K3 number)</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Changed (edited in Fxiaoke since its last sync)</source>
        <translation>Changed (edited in Fxiaoke since its last sync)</translation>
    </message>
    <message>
        <source>Needs attention (held)</source>
        <translation>Needs attention (held)</translation>
    </message>
</context>
<context>
    <name>Transforms</name>
    <message>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Constant</source>
        <translation>Constant</translation>
    </message>
    <message>
        <source>Value map</source>
        <translation>Value map</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>Concatenate</source>
        <translation>Concatenate</translation>
    </message>
    <message>
        <source>Lookup</source>
        <translation>Lookup</translation>
    </message>
    <message>
        <source>Profile setting</source>
        <translation>Profile setting</translation>
    </message>
</context>
<context>
    <name>ValueMap</name>
    <message>
        <source>Fxiaoke option value</source>
        <translation>Fxiaoke option value</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Label</translation>
    </message>
    <message>
        <source>K3Cloud value</source>
        <translation>K3Cloud value</translation>
    </message>
    <message>
        <source>Value map: {field}</source>
        <translation>Value map: {field}</translation>
    </message>
    <message>
        <source>Fxiaoke stores option ids, not labels. Give the K3Cloud value (usually a number such as a base-data FNumber) for each option used.</source>
        <translation>Fxiaoke stores option ids, not labels. Give the K3Cloud value (usually a number such as a base-data FNumber) for each option used.</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>Add row</translation>
    </message>
    <message>
        <source>Remove row</source>
        <translation>Remove row</translation>
    </message>
    <message>
        <source>Fail the record when a value is not in the map</source>
        <translation>Fail the record when a value is not in the map</translation>
    </message>
</context>
</TS>
