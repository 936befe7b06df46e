// The local webchat: a visitor on a channel this integration does not own. What you type is a message of
// the "webchat" integration in the emulated runtime; the HITL plugin (played by the runtime) takes it to
// the 4biz ticket during a handoff, and brings the analyst's answers back here.
;(function () {
  const { h, fill, api, post, linkified, poll } = window.ui
  const $ = (id) => document.getElementById(id)
  const params = new URLSearchParams(location.search)
  if (params.get('name')) $('name').value = params.get('name')
  let shown = ''

  const name = () => $('name').value.trim() || 'Visitor'

  async function refresh() {
    const { items } = await api(`/api/webchat/conversation?name=${encodeURIComponent(name())}`)
    const json = JSON.stringify(items)
    if (json === shown) return
    shown = json
    const rows = []
    let lastAuthor = ''
    for (const item of items) {
      const kind = item.from === 'user' ? 'user' : item.agent ? 'agent' : 'bot'
      const author = kind === 'agent' ? `${item.agent} (4biz analyst)` : kind === 'bot' ? 'Bot' : ''
      if (author && author !== lastAuthor) rows.push(h('div', { class: 'wc-author' }, author))
      lastAuthor = author
      rows.push(h('div', { class: `wc-msg ${kind}`, 'data-id': item.id }, linkified(item.text)))
    }
    fill($('thread'), rows)
    $('thread').scrollTop = $('thread').scrollHeight
    const last = items[items.length - 1]
    fill(
      $('choices'),
      last && last.options
        ? last.options.map((o) =>
            h('button', { class: 'wc-choice', type: 'button', onClick: () => send(o.value, o.label) }, o.label)
          )
        : []
    )
  }

  async function send(text, label) {
    await post('/api/webchat/send', { name: name(), text, label })
    await refresh()
  }

  $('composer').addEventListener('submit', async (e) => {
    e.preventDefault()
    const text = $('composer-input').value
    if (!text.trim()) return
    $('composer-input').value = ''
    await send(text)
  })
  $('who').addEventListener('submit', (e) => {
    e.preventDefault()
    shown = ''
    refresh()
  })
  $('name').addEventListener('change', () => {
    shown = ''
    refresh()
  })
  poll(refresh, 600)
})()
