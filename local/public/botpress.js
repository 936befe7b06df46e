// The Botpress conversation page: a conversation's messages as the emulated runtime stored them, both
// sides, the synthetic records of a handoff marked. Read-only; it refreshes itself.
;(function () {
  const { h, fill, api, poll } = window.ui
  const $ = (id) => document.getElementById(id)
  const params = new URLSearchParams(location.search)
  let conversationId = params.get('conversationId')
  const psid = params.get('psid')
  let shown = ''

  async function refresh() {
    const { conversations } = await api('/api/botpress/conversations')
    if (!conversationId && psid) conversationId = (conversations.find((c) => c.tags.psid === psid) || {}).id
    if (!conversationId && conversations.length) conversationId = conversations[0].id
    const options = JSON.stringify(conversations.map((c) => [c.id, c.messages]))
    if ($('conversation').dataset.shown !== options) {
      $('conversation').dataset.shown = options
      fill(
        $('conversation'),
        ...conversations.map((c) =>
          h(
            'option',
            { value: c.id, ...(c.id === conversationId ? { selected: '' } : {}) },
            `${c.id} · ${c.user || c.tags.psid || c.channel} · ${c.integration}/${c.channel} · ${c.messages} message(s)`
          )
        )
      )
    }
    if (!conversationId) return fill($('messages'), h('div', { class: 'empty muted' }, 'No conversation yet.'))
    const data = await api(`/api/botpress/conversation?conversationId=${encodeURIComponent(conversationId)}`)
    const json = JSON.stringify(data)
    if (json === shown) return
    shown = json
    $('messages').dataset.conversationId = data.conversation.id
    fill(
      $('messages'),
      data.messages.length ? data.messages.map(row) : h('div', { class: 'empty muted' }, 'No messages yet.')
    )
  }

  function row(m) {
    const tags = Object.entries(m.tags || {}).filter(([k]) => k !== 'id')
    return h(
      'div',
      {
        class: `bp-msg ${m.direction}${m.synthetic ? ' synthetic' : ''}`,
        'data-direction': m.direction,
        'data-synthetic': m.synthetic ? 'yes' : 'no',
      },
      h('div', { class: 'bp-time' }, m.at.slice(11, 19)),
      h(
        'div',
        { class: 'bp-who' },
        m.direction === 'incoming' ? m.from : 'Bot',
        h('span', { class: 'bp-dir' }, `${m.direction} · ${m.type}`)
      ),
      h(
        'div',
        {},
        h('div', { class: 'bp-text' }, text(m)),
        h(
          'div',
          { class: 'bp-tags' },
          m.synthetic ? h('span', { class: 'tag record' }, 'record') : null,
          tags.map(([k, v]) => h('span', { class: 'tag' }, `${k}: ${v}`))
        )
      )
    )
  }

  function text(m) {
    const p = m.payload || {}
    if (typeof p.text === 'string')
      return p.options ? `${p.text}  [${p.options.map((o) => o.label).join(' | ')}]` : p.text
    if (m.type === 'carousel') return `carousel: ${(p.items || []).map((i) => i.title).join(' / ')}`
    for (const k of ['imageUrl', 'fileUrl', 'audioUrl', 'videoUrl']) if (p[k]) return `[${m.type}] ${p[k]}`
    if (m.type === 'bloc') return (p.items || []).map((i) => i.payload?.text ?? `[${i.type}]`).join('\n')
    return JSON.stringify(p)
  }

  $('conversation').addEventListener('change', (e) => {
    conversationId = e.target.value
    shown = ''
    history.replaceState(null, '', `?conversationId=${encodeURIComponent(conversationId)}`)
    refresh()
  })
  poll(refresh, 1500)
})()
