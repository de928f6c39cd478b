import { describe, expect, it } from 'vitest';
import { emptyDocument, type GraphNode } from '../../app/core/document';
import { imageName } from '../../app/core/image-ref';
import { addNode, setParam, setTitle } from '../../app/renderer/editor/commands';
import { Editor } from '../../app/renderer/editor/editor';
import { registry } from '../../nodes';
import { counterUuid } from '../helpers';

// A Frame Image node's title follows its image's name until the artist renames it.

const frameImage = registry.get('FrameImage')!;

function editorWithFrameImage(): { editor: Editor; node: () => GraphNode } {
  const editor = new Editor(registry, counterUuid());
  editor.load(emptyDocument(), undefined);
  const { cmd, id } = addNode(editor.doc, frameImage, [0, 0]);
  editor.exec(cmd);
  return { editor, node: () => editor.doc.nodes.find((n) => n.id === id)! };
}

const setImage = (editor: Editor, node: GraphNode, value: string | undefined) => editor.exec(setParam(node, 'image', value, 'Image', frameImage));

describe('image names', () => {
  it('are a local file’s or a URL’s last segment; data and uploads have none', () => {
    expect(imageName('/data/images/0123456789abcdef/Lantern dusk.png')).toBe('Lantern dusk.png');
    expect(imageName('C:\\art\\cliff.jpg')).toBe('cliff.jpg');
    expect(imageName('file:///home/a/b%20c.webp')).toBe('b c.webp');
    expect(imageName('https://example.com/frames/canyon%20wall.png?x=1')).toBe('canyon wall.png');
    expect(imageName('https://example.com/')).toBeUndefined();
    expect(imageName('data:image/png;base64,iVBORw0KGgo=')).toBeUndefined();
    expect(imageName('9f3c1e2a-1b2c-4d5e-8f90-123456789abc')).toBeUndefined();
  });
});

describe('a Frame Image’s title', () => {
  it('follows its image from the default title, image after image, in one undoable command each', () => {
    const { editor, node } = editorWithFrameImage();
    setImage(editor, node(), '/img/a/cliff.png');
    expect(node().title).toBe('cliff.png');
    setImage(editor, node(), 'https://example.com/dune.jpg');
    expect(node().title).toBe('dune.jpg');
    editor.undo();
    expect(node()).toMatchObject({ title: 'cliff.png', params: { image: '/img/a/cliff.png' } });
    editor.undo();
    expect(node().title).toBe('Frame Image');
    expect(node().params.image).toBeUndefined();
  });

  it('stays as the artist named it', () => {
    const { editor, node } = editorWithFrameImage();
    setImage(editor, node(), '/img/a/cliff.png');
    editor.exec(setTitle(node().id, 'Opening shot'));
    setImage(editor, node(), '/img/b/dune.png');
    expect(node().title).toBe('Opening shot');
  });

  it('goes back to the default for an image with no name, and a parameter other than the image leaves it alone', () => {
    const { editor, node } = editorWithFrameImage();
    setImage(editor, node(), '/img/a/cliff.png');
    setImage(editor, node(), 'data:image/png;base64,iVBORw0KGgo=');
    expect(node().title).toBe('Frame Image');
    setImage(editor, node(), '/img/a/cliff.png');
    editor.exec(setParam(node(), 'frame', 'last', 'Frame', frameImage));
    expect(node().title).toBe('cliff.png');
  });
});
