import { useEffect, useState } from 'react';
import { api } from '../../api/endpoints';

/** The boot-test screenshot; fetched with the key header (an <img src> could not send it). */
export function Screenshot({ backupId }: { backupId: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [big, setBig] = useState(false);
  useEffect(() => {
    let objectUrl: string | null = null;
    let live = true;
    api.screenshot(backupId)
      .then((res) => res.blob())
      .then((blob) => {
        if (!live) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [backupId]);
  if (failed) return <div className="shot-missing muted small">no screenshot</div>;
  if (!url) return <div className="shot-missing muted small">…</div>;
  return (
    <>
      <img className="shot" src={url} alt={`Boot test of ${backupId}`} data-testid={`screenshot-${backupId}`} onClick={() => setBig(true)} />
      {big && (
        <div className="modal-backdrop" onClick={() => setBig(false)}>
          <img className="shot-big" src={url} alt={`Boot test of ${backupId}`} />
        </div>
      )}
    </>
  );
}
