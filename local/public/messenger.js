// The Messenger page: you are a Messenger user writing to the Page. What you send goes, through the
// local server, to the integration as Meta's signed webhook; what you see is what the Page sent through
// the Graph API (the Graph fake's record), drawn as Messenger draws it.
;(function () {
  const { h, fill, api, post, linkified, poll } = window.ui
  const $ = (id) => document.getElementById(id)
  let page = { name: 'Page' }
  let users = []
  let psid = new URLSearchParams(location.search).get('psid')
  let shown = ''

  async function start() {
    const data = await api('/api/messenger/users')
    page = data.page
    users = data.users
    if (!users.some((u) => u.psid === psid)) psid = users[0].psid
    $('page-name').textContent = page.name
    $('page-avatar').src = '/static/page-avatar.svg'
    renderUsers()
    poll(refresh, 700)
  }

  function renderUsers() {
    const me = users.find((u) => u.psid === psid)
    $('chatting-as').textContent = `You are ${me.name} (PSID ${me.psid})`
    fill($('users'),
      ...users.map((u) =>
        h(
          'button',
          { class: `user-row${u.psid === psid ? ' selected' : ''}`, 'data-psid': u.psid, type: 'button', title: u.name, onClick: () => choose(u.psid) },
          h('img', { class: 'avatar', src: u.pictureUrl, alt: '' }),
          h('span', { class: 'user-text' }, h('div', { class: 'user-name' }, u.name), h('div', { class: 'muted small' }, `PSID ${u.psid}`))
        )
      )
    )
  }

  function choose(next) {
    psid = next
    shown = ''
    history.replaceState(null, '', `?psid=${encodeURIComponent(psid)}`)
    renderUsers()
    refresh()
  }

  async function refresh() {
    const forUser = psid
    const { items } = await api(`/api/messenger/conversation?psid=${encodeURIComponent(forUser)}`)
    const json = JSON.stringify(items)
    if (forUser !== psid || json === shown) return
    shown = json
    renderThread(items)
  }

  function renderThread(items) {
    const thread = $('thread')
    if (!items.length) {
      fill(thread,
        h('div', { class: 'empty muted' }, h('p', {}, `Say hello to ${page.name}.`), h('p', { class: 'small' }, 'Everything you send reaches the integration as a webhook signed like Meta’s.'))
      )
    } else {
      fill(thread, ...items.map((item, i) => (item.from === 'user' ? userMessage(item) : pageMessage(item, items[i + 1]))))
    }
    renderQuickReplies(items[items.length - 1])
    thread.scrollTop = thread.scrollHeight
  }

  // ---------------------------------------------------------------- the user's messages

  function userMessage(item) {
    const input = item.input
    let content
    if (input.kind === 'text') content = h('div', { class: 'bubble' }, linkified(input.text))
    else if (input.kind === 'quick_reply') content = h('div', { class: 'bubble', title: `quick reply, payload ${input.payload}` }, input.title)
    else if (input.kind === 'postback') content = h('div', { class: 'bubble postback', title: `button, payload ${input.payload}` }, input.title)
    else content = attachment(input.type, input.url, input.name)
    return h('div', { class: 'msg user', 'data-mid': item.mid }, h('div', { class: 'msg-body' }, content, delivery(item.webhook)))
  }

  function delivery(webhook) {
    if (!webhook) return h('div', { class: 'caption muted' }, 'Sending…')
    if (webhook.status === 200) return null
    const why = webhook.status ? `the webhook answered ${webhook.status}` : 'the webhook did not answer'
    return h('div', { class: 'caption error-text' }, `Not delivered: ${why}${webhook.body ? ` — ${webhook.body.slice(0, 160)}` : ''}`)
  }

  // ---------------------------------------------------------------- the Page's messages (Send API objects)

  function pageMessage(item, next) {
    const lastOfGroup = !next || next.from !== 'page'
    const m = item.message
    const parts = []
    if (m.text !== undefined) parts.push(h('div', { class: 'bubble' }, linkified(m.text)))
    if (m.attachment) parts.push(pageAttachment(m.attachment))
    if (m.attachments) parts.push(h('div', { class: 'gallery' }, m.attachments.map((a) => h('img', { src: a.payload.url, alt: '' }))))
    if (item.tag) parts.push(h('div', { class: 'caption muted' }, `Sent with the ${item.tag} tag`))
    return h(
      'div',
      { class: 'msg page', 'data-mid': item.mid },
      h('div', { class: 'avatar-slot' }, lastOfGroup ? h('img', { class: 'avatar tiny', src: '/static/page-avatar.svg', alt: '' }) : null),
      h('div', { class: 'msg-body' }, parts)
    )
  }

  function pageAttachment(a) {
    if (a.type !== 'template') return attachment(a.type, a.payload.url ?? '', fileName(a.payload.url))
    const p = a.payload
    if (p.template_type === 'generic') return h('div', { class: 'carousel' }, p.elements.map(card))
    if (p.template_type === 'button')
      return h('div', { class: 'button-template' }, h('div', { class: 'bubble' }, linkified(p.text)), p.buttons.map(templateButton))
    return h('div', { class: 'bubble' }, `(${p.template_type} template)`)
  }

  function card(el) {
    return h(
      'div',
      { class: 'card' },
      el.image_url ? h('img', { src: el.image_url, alt: '' }) : null,
      h('div', { class: 'card-text' }, h('div', { class: 'card-title' }, el.title), el.subtitle ? h('div', { class: 'card-subtitle' }, el.subtitle) : null),
      (el.buttons || []).map(templateButton)
    )
  }

  function templateButton(b) {
    if (b.type === 'web_url') return h('a', { class: 'card-button', href: b.url, target: '_blank', rel: 'noreferrer' }, b.title)
    return h('button', { class: 'card-button', type: 'button', onClick: () => send({ kind: 'postback', title: b.title, payload: String(b.payload) }) }, b.title)
  }

  function attachment(type, url, name) {
    if (type === 'image') return h('a', { href: url, target: '_blank', rel: 'noreferrer' }, h('img', { class: 'media', src: url, alt: name || 'image' }))
    if (type === 'video') return h('video', { class: 'media', src: url, controls: true })
    if (type === 'audio') return h('audio', { src: url, controls: true })
    return h('a', { class: 'file', href: url, target: '_blank', rel: 'noreferrer' }, fileIcon(), name || 'file')
  }

  function fileIcon() {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg')
    svg.setAttribute('viewBox', '0 0 24 24')
    svg.setAttribute('width', '16')
    svg.setAttribute('height', '16')
    svg.innerHTML = '<path fill="currentColor" d="M6 2h8l6 6v12a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm7 1.5V9h5.5z"/>'
    return h('span', { class: 'file-icon' }, svg)
  }

  const fileName = (url) => decodeURIComponent(String(url || '').split('?')[0].split('/').pop() || 'file')

  /** Messenger shows the quick replies of the last message only, until the user answers. */
  function renderQuickReplies(last) {
    const qrs = last && last.from === 'page' ? last.message.quick_replies || [] : []
    fill($('quick-replies'),
      ...qrs.map((qr) =>
        qr.content_type === 'text'
          ? h('button', { class: 'quick-reply', type: 'button', onClick: () => send({ kind: 'quick_reply', title: qr.title, payload: String(qr.payload) }) }, qr.title)
          : h('button', { class: 'quick-reply', type: 'button', disabled: true, title: 'not emulated' }, qr.content_type === 'user_email' ? 'Email' : 'Phone')
      )
    )
  }

  // ---------------------------------------------------------------- sending

  async function send(input) {
    fill($('quick-replies'))
    try {
      await post('/api/messenger/send', { psid, input })
    } catch (err) {
      alert(`Could not send: ${err.message}`)
    }
    refresh()
  }

  // as on Messenger: Enter sends, Shift+Enter starts a new line
  $('composer-input').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault()
      $('composer').requestSubmit()
    }
  })

  $('composer').addEventListener('submit', (e) => {
    e.preventDefault()
    const text = $('composer-input').value
    if (!text.trim()) return
    $('composer-input').value = ''
    send({ kind: 'text', text })
  })

  $('file-input').addEventListener('change', async () => {
    const file = $('file-input').files[0]
    $('file-input').value = ''
    if (!file) return
    const dataBase64 = await new Promise((resolve, reject) => {
      const reader = new FileReader()
      reader.onload = () => resolve(String(reader.result).split(',')[1] || '')
      reader.onerror = () => reject(reader.error)
      reader.readAsDataURL(file)
    })
    try {
      await post('/api/messenger/upload', { psid, name: file.name, type: file.type, dataBase64 })
    } catch (err) {
      alert(`Could not send the file: ${err.message}`)
    }
    refresh()
  })

  start().catch((err) => ($('thread').textContent = `Could not load: ${err.message}`))
})()
