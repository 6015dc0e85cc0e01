import Link from "next/link";

export default function NotFound() {
  return (
    <div>
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="mt-2 text-sm">
        There is nothing at this address. Go back to the <Link className="underline" href="/">Overview</Link>.
      </p>
    </div>
  );
}
