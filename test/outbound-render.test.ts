import { RuntimeError } from '@botpress/sdk'
import { renderMessage, splitText, truncate } from '../src/messenger/render'

/** The renderer alone: Botpress message → Send API message objects within Messenger's limits. */

const words = (n: number, word = 'palavra') => Array.from({ length: n }, () => word).join(' ')
const options = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ label: `Opção número ${i + 1} bem longa`, value: `OPT_${i + 1}` }))
const action = (i: number, kind: 'postback' | 'say' | 'url' = 'postback') => ({
  action: kind,
  label: `Ação ${i}`,
  value: kind === 'url' ? `https://example.com/${i}` : `VALUE_${i}`,
})

describe('text', () => {
  it('short text is one message, untouched', () => {
    expect(renderMessage('text', { text: '  Olá, tudo bem?  ' })).toEqual([{ text: '  Olá, tudo bem?  ' }])
  })

  it('splits at 2000 on a word boundary, losing nothing but the separating space', () => {
    const text = words(400) // 400 × 8 - 1 = 3199 characters
    const pieces = renderMessage('text', { text }).map((m: any) => m.text as string)
    expect(pieces.length).toBe(2)
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(2000)
      expect(p.startsWith('palavra')).toBe(true)
      expect(p.endsWith('palavra')).toBe(true)
    }
    expect(pieces.join(' ')).toBe(text)
  })

  it('prefers a line break in the second half of the window', () => {
    const first = words(200) // 1599
    const text = `${first}\n${words(100)}`
    expect(splitText(text)).toEqual([first, words(100)])
  })

  it('an emoji at the boundary stays whole (no lone surrogate)', () => {
    // 1999 letters then an emoji (2 UTF-16 units) with no space: the cut must fall before the emoji.
    const text = 'a'.repeat(1999) + '😀' + 'b'.repeat(10)
    const pieces = splitText(text)
    expect(pieces).toEqual(['a'.repeat(1999), '😀' + 'b'.repeat(10)])
    for (const p of pieces)
      expect(p).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/)
  })

  it('a ZWJ emoji family is never split across pieces', () => {
    const family = '👨‍👩‍👧‍👦' // 11 UTF-16 units
    const text = 'x'.repeat(1995) + family + 'y'
    const pieces = splitText(text)
    expect(pieces[0]).toBe('x'.repeat(1995))
    expect(pieces[1]).toBe(family + 'y')
  })

  it('a word longer than the limit is hard-cut', () => {
    const pieces = splitText('z'.repeat(4500))
    expect(pieces.map((p) => p.length)).toEqual([2000, 2000, 500])
  })

  it('a space exactly at the limit is a clean break', () => {
    const text = 'a'.repeat(2000) + ' ' + 'b'.repeat(5)
    expect(splitText(text)).toEqual(['a'.repeat(2000), 'bbbbb'])
  })
})

describe('media and location', () => {
  it.each([
    ['image', { imageUrl: 'https://cdn.example/a.png' }],
    ['audio', { audioUrl: 'https://cdn.example/a.mp3' }],
    ['video', { videoUrl: 'https://cdn.example/a.mp4' }],
    ['file', { fileUrl: 'https://cdn.example/a.pdf' }],
  ])('%s → an attachment by URL', (type, payload) => {
    expect(renderMessage(type, payload)).toEqual([
      { attachment: { type, payload: { url: Object.values(payload)[0] } } },
    ])
  })

  it('a media title follows as text (Messenger has no captions)', () => {
    expect(renderMessage('image', { imageUrl: 'https://cdn.example/a.png', title: 'Nossa loja' })).toEqual([
      { attachment: { type: 'image', payload: { url: 'https://cdn.example/a.png' } } },
      { text: 'Nossa loja' },
    ])
  })

  it('a media URL Meta cannot fetch is a RuntimeError naming the field', () => {
    expect(() => renderMessage('file', { fileUrl: 'ftp://x/y.pdf' })).toThrow(/"fileUrl" must be an http\(s\) URL/)
  })

  it('location → text with title, address and a maps link', () => {
    expect(
      renderMessage('location', { latitude: -23.55, longitude: -46.63, title: 'Sede', address: 'Av. Paulista, 1000' })
    ).toEqual([{ text: 'Sede\nAv. Paulista, 1000\nhttps://www.google.com/maps/search/?api=1&query=-23.55,-46.63' }])
    expect(renderMessage('location', { latitude: 1, longitude: 2 })).toEqual([
      { text: 'https://www.google.com/maps/search/?api=1&query=1,2' },
    ])
  })
})

describe('card and carousel', () => {
  it('card → generic template with one element; postback/say → postback buttons, url → web_url', () => {
    const out = renderMessage('card', {
      title: 'Plano Pro',
      subtitle: 'R$ 99',
      imageUrl: 'https://cdn.example/p.png',
      actions: [action(1, 'postback'), action(2, 'say'), action(3, 'url')],
    })
    expect(out).toEqual([
      {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'generic',
            elements: [
              {
                title: 'Plano Pro',
                subtitle: 'R$ 99',
                image_url: 'https://cdn.example/p.png',
                buttons: [
                  { type: 'postback', title: 'Ação 1', payload: 'VALUE_1' },
                  { type: 'postback', title: 'Ação 2', payload: 'VALUE_2' },
                  { type: 'web_url', title: 'Ação 3', url: 'https://example.com/3' },
                ],
              },
            ],
          },
        },
      },
    ])
  })

  it('titles and subtitles are cut to 80 with an ellipsis; button titles to 20', () => {
    const [m] = renderMessage('card', {
      title: 'T'.repeat(100),
      subtitle: 'S'.repeat(81),
      actions: [{ action: 'postback', label: 'Um rótulo comprido demais', value: 'v' }],
    }) as any[]
    const el = m.attachment.payload.elements[0]
    expect(el.title).toBe('T'.repeat(79) + '…')
    expect(el.subtitle).toBe('S'.repeat(79) + '…')
    // cut at 19 + "…", trailing space dropped
    expect(el.buttons[0].title).toBe('Um rótulo comprido…')
  })

  it('more than 3 actions: the card continues in the next elements of the carousel, 3 buttons each, in one send', () => {
    const out = renderMessage('card', {
      title: 'Menu',
      subtitle: 'Escolha',
      actions: [1, 2, 3, 4, 5, 6, 7].map((i) => action(i)),
    }) as any[]
    expect(out).toHaveLength(1)
    expect(out[0].attachment.payload.elements).toEqual([
      {
        title: 'Menu',
        subtitle: 'Escolha',
        buttons: [1, 2, 3].map((i) => ({ type: 'postback', title: `Ação ${i}`, payload: `VALUE_${i}` })),
      },
      {
        title: 'Menu',
        subtitle: '2/3',
        buttons: [4, 5, 6].map((i) => ({ type: 'postback', title: `Ação ${i}`, payload: `VALUE_${i}` })),
      },
      { title: 'Menu', subtitle: '3/3', buttons: [{ type: 'postback', title: 'Ação 7', payload: 'VALUE_7' }] },
    ])
  })

  it('a 12-card carousel with 5 actions per card goes out in 3 sends, every action a button, in order', () => {
    const items = Array.from({ length: 12 }, (_, c) => ({
      title: `Serviço ${c + 1}`,
      imageUrl: `https://cdn.example/s${c + 1}.png`,
      actions: Array.from({ length: 5 }, (_, a) => ({
        action: 'postback',
        label: `Opção ${a + 1}`,
        value: `S${c + 1}_A${a + 1}`,
      })),
    }))
    const out = renderMessage('carousel', { items }) as any[]
    expect(out).toHaveLength(3)
    expect(out.map((m) => m.attachment.payload.elements.length)).toEqual([10, 10, 4])
    const elements = out.flatMap((m) => m.attachment.payload.elements)
    expect(elements.flatMap((e: any) => e.buttons.map((b: any) => b.payload))).toEqual(
      items.flatMap((i) => i.actions.map((a) => a.value))
    )
    for (const e of elements) expect(e.buttons.length).toBeLessThanOrEqual(3)
    // each card's image shows once, on its first element
    expect(elements.filter((e: any) => e.image_url).map((e: any) => e.title)).toEqual(items.map((i) => i.title))
  })

  it('11+ carousel items → several generic templates of at most 10', () => {
    const items = Array.from({ length: 23 }, (_, i) => ({ title: `Item ${i}`, actions: [action(i)] }))
    const out = renderMessage('carousel', { items }) as any[]
    expect(out.map((m) => m.attachment.payload.elements.length)).toEqual([10, 10, 3])
    expect(out.flatMap((m) => m.attachment.payload.elements.map((e: any) => e.title))).toEqual(
      items.map((i) => i.title)
    )
  })

  it('a title-only card is text (Meta refuses an element with only a title), in its place in a carousel', () => {
    expect(renderMessage('card', { title: 'Só um aviso', actions: [] })).toEqual([{ text: 'Só um aviso' }])
    const out = renderMessage('carousel', {
      items: [
        { title: 'A', actions: [action(1)] },
        { title: 'B', subtitle: 'b', actions: [] },
        { title: 'Só título', actions: [] },
        { title: 'C', imageUrl: 'https://cdn.example/c.png', actions: [] },
      ],
    }) as any[]
    expect(out.map((m) => m.text ?? m.attachment.payload.elements.map((e: any) => e.title).join('+'))).toEqual([
      'A+B',
      'Só título',
      'C',
    ])
  })

  it('an empty carousel or a bad url action is a RuntimeError naming the field', () => {
    expect(() => renderMessage('carousel', { items: [] })).toThrow(/"items" is empty/)
    expect(() =>
      renderMessage('carousel', {
        items: [
          { title: 'a', actions: [] },
          { title: 'b', actions: [{ action: 'url', label: 'x', value: 'not a url' }] },
        ],
      })
    ).toThrow(/"items\.1\.actions\.0\.value" must be an http\(s\) URL/)
  })
})

describe('choice and dropdown', () => {
  it.each(['choice', 'dropdown'])(
    '%s ≤ 13 options → text with quick replies (titles ≤ 20, payload = value)',
    (type) => {
      const out = renderMessage(type, { text: 'Escolha:', options: options(13) }) as any[]
      expect(out).toHaveLength(1)
      expect(out[0].text).toBe('Escolha:')
      expect(out[0].quick_replies).toHaveLength(13)
      expect(out[0].quick_replies[0]).toEqual({ content_type: 'text', title: 'Opção número 1 bem…', payload: 'OPT_1' })
      for (const qr of out[0].quick_replies) expect(qr.title.length).toBeLessThanOrEqual(20)
    }
  )

  it('no options → plain text', () => {
    expect(renderMessage('choice', { text: 'Só texto', options: [] })).toEqual([{ text: 'Só texto' }])
  })

  it('quick replies go on the last piece of a split text', () => {
    const out = renderMessage('choice', { text: words(400), options: options(2) }) as any[]
    expect(out).toHaveLength(2)
    expect(out[0].quick_replies).toBeUndefined()
    expect(out[1].quick_replies).toHaveLength(2)
  })

  it('14+ options → cards of 3 postback buttons titled with the text (≤ 10 cards per message), no separate text', () => {
    const out = renderMessage('dropdown', { text: 'Qual estado?', options: options(40) }) as any[]
    const templates = out.map((m) => m.attachment.payload)
    expect(templates.map((t) => t.template_type)).toEqual(['generic', 'generic'])
    expect(templates.map((t) => t.elements.length)).toEqual([10, 4])
    const cards = templates.flatMap((t) => t.elements)
    expect(cards[0]).toMatchObject({ title: 'Qual estado?', subtitle: '1–3 / 40' })
    expect(cards[13]).toMatchObject({ subtitle: '40–40 / 40' })
    expect(cards.flatMap((c: any) => c.buttons.map((b: any) => b.payload))).toEqual(options(40).map((o) => o.value))
  })

  it('14+ options with a text longer than a card title: the text goes first, whole', () => {
    const text = 'Em qual das nossas unidades de atendimento você prefere ser atendido? Escolha uma abaixo, por favor.'
    const out = renderMessage('choice', { text, options: options(14) }) as any[]
    expect(out[0]).toEqual({ text })
    expect(out.slice(1).map((m) => m.attachment.payload.elements.length)).toEqual([5])
  })

  it('a value over 1000 characters is a RuntimeError (it cannot be shortened without changing the answer)', () => {
    expect(() => renderMessage('choice', { text: 'x', options: [{ label: 'a', value: 'v'.repeat(1001) }] })).toThrow(
      /"options\.0\.value" is 1001 characters/
    )
  })
})

describe('bloc and validation', () => {
  it('bloc → each item rendered in order', () => {
    const out = renderMessage('bloc', {
      items: [
        { type: 'text', payload: { text: 'Veja:' } },
        { type: 'image', payload: { imageUrl: 'https://cdn.example/a.png' } },
        { type: 'location', payload: { latitude: 1, longitude: 2, title: 'Aqui' } },
        { type: 'file', payload: { fileUrl: 'https://cdn.example/a.pdf', title: 'a.pdf' } },
      ],
    })
    expect(out).toEqual([
      { text: 'Veja:' },
      { attachment: { type: 'image', payload: { url: 'https://cdn.example/a.png' } } },
      { text: 'Aqui\nhttps://www.google.com/maps/search/?api=1&query=1,2' },
      { attachment: { type: 'file', payload: { url: 'https://cdn.example/a.pdf' } } },
      { text: 'a.pdf' },
    ])
  })

  it('a payload that fails the Botpress schema is a RuntimeError naming the field', () => {
    const attempt = () => renderMessage('card', { title: 'x', actions: [{ action: 'postback', label: 'ok' }] })
    expect(attempt).toThrow(RuntimeError)
    expect(attempt).toThrow(/Invalid card message: "actions\.0\.value"/)
    expect(() => renderMessage('image', {})).toThrow(/"imageUrl"/)
    expect(() => renderMessage('text', { text: '' })).toThrow(/"text"/)
  })

  it('an unknown type is a RuntimeError', () => {
    expect(() => renderMessage('markdown', { markdown: '*x*' })).toThrow(/cannot send messages of type "markdown"/)
  })

  it('truncate never leaves half an emoji', () => {
    expect(truncate('😀'.repeat(15), 20)).toBe('😀'.repeat(9) + '…')
    expect(truncate('curto', 20)).toBe('curto')
  })
})
